// V8 flags the CLI sets for itself (bin/feedwright.js), before anything compiles. The build writes the
// code caches of the bundled libraries in a process with the same flags
// (scripts/bundle-vendor-libraries.ts): V8 accepts a code cache only under the flags it was made with.
// `npm run bench` runs every benchmark under them too, so the figures are the CLI's.
//
// --liftoff-only: undici parses HTTP with llhttp compiled to WebAssembly on the first request. V8's
// optimising compile of it briefly took ~35 MB of memory and ~60 ms of CPU (peak RSS 98 -> 64 MB for
// one request); its baseline (Liftoff) code parses a 100 KB response in well under a millisecond, a
// small part of a page's cost.
//
// --interrupt-budget=150000 (V8 11.3's default is 67,584 bytes of bytecode run per function before it is
// considered for TurboFan): a cold `run` of the 200 peer pages spent ~300 ms of CPU on TurboFan's
// background threads, optimising functions that then ran only a few more times. With 2.2x the budget a
// function must run about twice as long first. `npm run bench -- peer`, two interleaved runs each
// (before -> after, CPU a page): cold `run` c=8 7.50/8.24 -> 6.79/7.08 ms, c=1 8.96/8.66 -> 7.12/7.20,
// one extraction thread 8.99/9.06 -> 7.60/7.74; TurboFan's threads ~330 -> ~190 ms a run. A warm
// process's full pass is unchanged (5.21/4.50 -> 4.47/4.50 ms): hot code still reaches TurboFan, a
// little later. Budgets of 300,000-1,200,000 saved no more and kept the main thread in unoptimised code
// for longer.
//
// --heap-growing-percent=200: after each full collection V8 lets the heap grow to a multiple of what
// survived before it collects again; left to itself it picks up to 4x when collecting is cheap next to
// allocating, as in a pass (pages, trees and bodies die young). Capped at 3x, a cold `run` of 1,000
// sources x 50 items (`npm run bench -- memory`, three interleaved runs each) peaked at 245-258 MB
// instead of 275-285 MB, and at 280-294 MB instead of 313-330 MB with one extraction thread, for CPU
// within the runs' noise (-6.6 to +3.6 %). 2x (100) peaked at ~236 MB but cost 9-13 % more CPU, and
// 1.3x-1.6x 16-28 %.
export const CLI_V8_FLAGS = ['--liftoff-only', '--interrupt-budget=150000', '--heap-growing-percent=200'];
