using Tessera.Raster.Blocks;

namespace Tessera.Raster.Tests.Blocks;

public class InputGroupTests
{
    [Fact]
    public void Groups_AreLaidEndToEnd_ItemAfterItem()
    {
        var groups = InputGroups.Layout(("images", 3, 4), ("masks", 3, 1), ("none", 0, 1), ("distance", 1, 1));
        var (images, masks, none, distance) = (groups[0], groups[1], groups[2], groups[3]);
        Assert.Equal((0, 12), (images.Start, images.End));
        Assert.Equal(4 * 2 + 3, images.IndexOf(2, 3)); // band 3 of image 2
        Assert.Equal(12 + 1, masks.IndexOf(1));
        Assert.Equal((15, 0), (none.Start, none.Size));
        Assert.Equal(15, distance.IndexOf(0));
    }

    [Fact]
    public void AnItemOrBandOutsideTheGroup_IsRefusedNamingIt()
    {
        var images = InputGroups.Layout(("images", 2, 3))[0];
        Assert.Equal("images: item 2, band 0 is outside 2 x 3 (Parameter 'item')", Assert.Throws<ArgumentOutOfRangeException>(() => images.IndexOf(2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => images.IndexOf(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => images.IndexOf(-1));
    }
}
