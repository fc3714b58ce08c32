namespace Tessera.Raster.Blocks;

/// <summary>
/// Writes finished blocks into a GDAL dataset on the one thread that owns it, filling the overviews and statistics the
/// dataset carries. When the engine's blocks are exactly the file's Float32 tiles, whole blocks go straight to the
/// driver, past GDAL's block cache (for a write-once stream the cache only adds copies and fresh memory).
/// </summary>
internal sealed class BlockWriter : IBlockTarget
{
    private readonly RasterDataset _output;
    private readonly BlockJob _job;
    private readonly bool _direct;
    private readonly float[] _padding;

    public BlockWriter(RasterDataset output, BlockJob job)
    {
        _output = output;
        _job = job;
        _direct = output.BandCount == job.OutputBands && Enumerable.Range(1, job.OutputBands).All(b =>
            output.Band(b).DataType == RasterDataType.Float32
            && output.Band(b).BlockWidth == job.BlockSize && output.Band(b).BlockHeight == job.BlockSize);
        _padding = _direct ? new float[job.BlockSize * job.BlockSize] : [];
    }

    public int Width => _output.Width;

    public int Height => _output.Height;

    public int BandCount => _output.BandCount;

    public void Finish(RasterBlock block)
    {
        for (var o = 0; o < _job.OutputBands; o++)
        {
            _output.Pyramid?.Halve(block.Window, block.Output(o), block.Half(o));
            _output.Statistics?.Add(o + 1, block.Window, block.Output(o));
        }
    }

    public void Write(RasterBlock block)
    {
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
    }
}
