// V8 flags the CLI sets for itself (bin/feedwright.js), before anything compiles. The build writes the
// code caches of the bundled libraries in a process with the same flags
// (scripts/bundle-vendor-libraries.ts): V8 accepts a code cache only under the flags it was made with.
//
// --liftoff-only: undici parses HTTP with llhttp compiled to WebAssembly on the first request. V8's
// optimising compile of it briefly took ~35 MB of memory and ~60 ms of CPU (peak RSS 98 -> 64 MB for
// one request); its baseline (Liftoff) code parses a 100 KB response in well under a millisecond, a
// small part of a page's cost.
export const CLI_V8_FLAGS = ['--liftoff-only'];
