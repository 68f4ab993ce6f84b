/**
 * Loaded by .mocharc.json before the tests. The helm processes the tests start (hundreds, most of
 * the suite's CPU) run with Go's garbage collector at GOGC=400 unless GOGC is set: a helm run lives
 * for a second or so and ~100 MB of heap, so collecting less often costs memory it gives back at exit and
 * saves a fifth to a third of its CPU. What helm renders does not depend on it.
 */
process.env.GOGC ??= "400";
