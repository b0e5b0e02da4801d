"""Text utilities every stage reads with: numbers (1.234.567; 12,5%; hạng III), periods (quý III,
6 tháng đầu năm, từ … đến …), segments (paragraphs, sentences, lead-in lines) and the literal
words a regex needs. They import nothing of etl but its records (etl.models): metadata, the
catalog and the extraction stage all stand on them."""
