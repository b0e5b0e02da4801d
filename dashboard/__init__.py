"""Read side: queries over the warehouse, charts, Excel, Vietnamese formatting. Never imports etl."""
