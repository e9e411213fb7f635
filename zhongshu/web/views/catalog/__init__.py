"""The catalog's pages (商品): products, categories, styles and their variant
matrix, price lists, the Excel import and export, and catalog settings."""
