UPDATE orders SET (status, total) = ('a', 0), note = 'n' WHERE id = 1;
UPDATE orders SET tags[1] = 'x', tags[2] = 'y';
