// A time axis with one mark per item (in UTC), labelled at round dates; a mark chosen selects its item.
import { el, utcDate } from './format.js';

const DAY = 86_400_000;
const MONTH = 30.44 * DAY;
const YEAR = 365.25 * DAY;

/** Tick steps from short to long: [count, unit]. */
const STEPS = [[1, 'day'], [2, 'day'], [7, 'day'], [14, 'day'], [1, 'month'], [2, 'month'], [3, 'month'], [6, 'month'],
  [1, 'year'], [2, 'year'], [5, 'year'], [10, 'year'], [20, 'year'], [50, 'year'], [100, 'year']];

/**
 * Draws items ({ id, time in ms, label }) on an axis; onChoose(id) when a mark is clicked.
 * Returns the element and select(id), which highlights one mark (or none).
 */
export function timeline(items, onChoose) {
  const strip = el('div', { class: 'timeline', id: 'timeline', role: 'group', 'aria-label': 'Timeline of the items' });
  const track = el('div', { class: 'track' }, el('div', { class: 'axis' }));
  strip.append(track);
  const marks = new Map();
  if (items.length === 0) {
    strip.append(el('p', { class: 'muted empty', text: 'No items to place in time.' }));
    return { element: strip, select() {} };
  }
  const times = items.map(i => i.time);
  let start = Math.min(...times);
  let end = Math.max(...times);
  // A margin on both sides keeps the first and last marks off the ends; a single date gets a day either side.
  const margin = end > start ? (end - start) * 0.03 : DAY;
  start -= margin;
  end += margin;
  const at = t => `${(100 * (t - start) / (end - start)).toFixed(3)}%`;

  for (const tick of ticks(start, end)) {
    track.append(el('div', { class: 'tick', style: `left: ${at(tick.time)}` }),
      el('span', { class: 'tick-label', style: `left: ${at(tick.time)}`, text: tick.label }));
  }
  for (const item of [...items].sort((a, b) => a.time - b.time)) {
    const mark = el('button', { type: 'button', class: 'mark', 'data-item': item.id, 'data-time': new Date(item.time).toISOString(),
      style: `left: ${at(item.time)}`, title: `${item.id}: ${item.label}`, 'aria-label': `${item.id}, ${item.label}`, 'aria-pressed': 'false',
      onclick: () => onChoose(item.id) });
    marks.set(item.id, mark);
    track.append(mark);
  }
  return {
    element: strip,
    select(id) {
      for (const [markId, mark] of marks) {
        const on = markId === id;
        mark.classList.toggle('selected', on);
        mark.setAttribute('aria-pressed', String(on));
      }
    },
  };
}

/** Round dates between start and end, at most about six: days, months or years. */
function ticks(start, end) {
  const [count, unit] = STEPS.find(([n, u]) => (end - start) / (n * (u === 'day' ? DAY : u === 'month' ? MONTH : YEAR)) <= 6) ?? STEPS.at(-1);
  const first = new Date(start);
  const year = first.getUTCFullYear();
  const month = first.getUTCMonth();
  let time = unit === 'day' ? Date.UTC(year, month, first.getUTCDate())
    : unit === 'month' ? Date.UTC(year, month - (month % count), 1)
      : Date.UTC(year - (year % count), 0, 1);
  const result = [];
  for (; time <= end; time = advance(time, count, unit)) {
    if (time >= start) result.push({ time, label: unit === 'day' ? utcDate(time) : unit === 'month' ? utcDate(time).slice(0, 7) : utcDate(time).slice(0, 4) });
  }
  return result;
}

function advance(time, count, unit) {
  const date = new Date(time);
  if (unit === 'day') return time + count * DAY;
  if (unit === 'month') return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + count, 1);
  return Date.UTC(date.getUTCFullYear() + count, 0, 1);
}
