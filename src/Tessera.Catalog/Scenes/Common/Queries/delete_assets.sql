DELETE FROM catalog_assets WHERE item_key = @item;
