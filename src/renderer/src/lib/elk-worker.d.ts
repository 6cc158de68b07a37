// Vite's `?worker` import (vite/client declares it, but the window's type check loads no ambient
// types): the module's default export constructs the bundled worker.
declare module 'elkjs/lib/elk-worker.min.js?worker' {
  const ElkWorker: new () => Worker;
  export default ElkWorker;
}
