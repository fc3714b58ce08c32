namespace Tessera.Raster.Blocks;

/// <summary>
/// Writes finished blocks to the output on the one thread that owns it, and reports progress. When the
/// engine's blocks are exactly the file's Float32 tiles, whole blocks go straight to the driver, past GDAL's
/// block cache (for a write-once stream the cache only adds copies and fresh memory).
/// </summary>
internal sealed class BlockWriter
{
    private readonly RasterDataset _output;
    private readonly BlockJob _job;
    private readonly IProgress<RasterProgress>? _progress;
    private readonly long _total;
    private readonly bool _direct;
    private readonly float[] _padding;
    private long _written;

    public BlockWriter(RasterDataset output, BlockJob job, IProgress<RasterProgress>? progress, long total)
    {
        _output = output;
        _job = job;
        _progress = progress;
        _total = total;
        _direct = Enumerable.Range(1, job.OutputBands).All(b =>
            output.Band(b).DataType == RasterDataType.Float32
            && output.Band(b).BlockWidth == job.BlockSize && output.Band(b).BlockHeight == job.BlockSize);
        _padding = _direct ? new float[job.BlockSize * job.BlockSize] : [];
        progress?.Report(new RasterProgress("compute", 0, total));
    }

    /// <summary>Writes every output band of the block; a stopping run skips the write.</summary>
    public void Write(RasterBlock block, bool stopping)
    {
        if (stopping)
        {
            return;
        }
        var size = _job.BlockSize;
        for (var o = 0; o < _job.OutputBands; o++)
        {
            if (_direct)
            {
                _output.WriteBlock<float>(o + 1, block.Window.ColOffset / size, block.Window.RowOffset / size,
                    block.Window, block.Output(o), _padding);
            }
            else
            {
                _output.Write<float>(o + 1, block.Window, block.Output(o));
            }
            _output.Pyramid?.Write(o + 1, block.Window, block.Half(o));
        }
        _written++;
        _progress?.Report(new RasterProgress("compute", _written, _total));
    }
}
