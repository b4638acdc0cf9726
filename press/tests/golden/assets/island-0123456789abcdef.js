// The fixture app's island (the real one is src/island.js).
