INSERT INTO catalog_assets (item_key, key, href, media_type, title, roles, band, checksum, size, local_path, extra, position)
VALUES (@item, @key, @href, @type, @title, @roles, @band, @checksum, @size, @local, @extra, @position);
