/**
 * A one-line progress bar on stderr for long work, redrawn in place; silent when stderr is not a
 * terminal. (A batch's bar in `npm run status` is core/status/batch-status.ts's progressBar.)
 */
export const terminalProgress = (total: number, label: string, stream: NodeJS.WriteStream = process.stderr) => {
  const started = Date.now();
  let last = 0;
  const draw = (done: number, force = false) => {
    const now = Date.now();
    if (!stream.isTTY || (!force && now - last < 100)) return;
    last = now;
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const rate = done / Math.max(0.001, (now - started) / 1000);
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${rate.toFixed(1)}/s `);
  };
  return {
    update: (done: number) => draw(done),
    finish: (done: number) => {
      draw(done, true);
      if (stream.isTTY) stream.write('\n');
    },
  };
};
