// A legend drawn from the server's legend.json: a ramp with its range, or the RGB channels.
import { el } from './format.js';

export function legend(description) {
  if (description.kind === 'colormap') {
    return el('div', { class: 'legend', 'data-colormap': description.colormap },
      el('div', { text: description.title }),
      el('div', { class: 'ramp', role: 'img', 'aria-label': `${description.colormap} from ${description.min} to ${description.max}`,
        style: `background: linear-gradient(to right, ${description.colors.join(', ')})` }),
      el('div', { class: 'range' }, el('span', { text: round(description.min) }), el('span', { text: round(description.max) })));
  }
  return el('div', { class: 'legend', 'data-colormap': 'rgb' },
    el('ul', {}, description.channels.map(c => el('li', { text: `${c.channel}: ${c.name} (${round(c.min)} – ${round(c.max)})` }))));
}

function round(value) {
  return Math.abs(value) >= 100 ? value.toFixed(0) : Number(value.toPrecision(3)).toString();
}
