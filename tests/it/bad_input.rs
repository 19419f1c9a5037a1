//! Bad input: every malformed scenario or trace exits 2 with a message naming file, line or row, field and expected form.
