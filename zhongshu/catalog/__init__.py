"""Catalog (商品): products and their variants, units, barcodes, categories,
tax classification and price lists."""
