"""Pages of the partners module (往来单位): customers and their categories."""
