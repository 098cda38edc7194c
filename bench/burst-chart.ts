import type { Sample } from './burst-stats';

/**
 * An SVG chart of a burst, like the CloudWatch graphs: instances, backlog, backlog per instance and
 * requests processed per interval over simulated time, one line per configuration.
 */
export interface Series {
  label: string;
  samples: Sample[];
  startReal: number;
  dash?: string;
  color: string;
}

const WIDTH = 960;
const PANEL_HEIGHT = 150;
const MARGIN = { left: 60, right: 20, top: 28, bottom: 30 };

interface Panel {
  title: string;
  value: (s: Sample, previous: Sample | undefined, intervalS: number) => number;
}

const panels: Panel[] = [
  { title: 'Instances in service', value: (s) => s.inService },
  { title: 'ApproximateBacklogSize', value: (s) => s.backlog },
  { title: 'ApproximateBacklogSizePerInstance', value: (s) => (s.inService > 0 ? s.backlog / s.inService : s.backlog) },
  {
    title: 'Processed per simulated minute',
    value: (s, p, intervalS) => (p ? ((s.completed - p.completed) * 60) / Math.max(intervalS, 1e-9) : 0),
  },
];

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Keeps about `points` samples, evenly spaced, so the SVG stays small for long runs. */
const thin = (samples: Sample[], points = 600): Sample[] => {
  if (samples.length <= points) return samples;
  const step = samples.length / points;
  return Array.from({ length: points }, (_, i) => samples[Math.floor(i * step)] as Sample).concat(samples[samples.length - 1] as Sample);
};

export const burstChart = (series: Series[], title: string): string => {
  const prepared = series.map((s) => {
    const samples = thin(s.samples);
    const startSim = samples.find((x) => x.real >= s.startReal)?.sim ?? (samples[0] as Sample).sim;
    return { ...s, samples, startSim };
  });
  const maxX = Math.max(1, ...prepared.map((s) => ((s.samples[s.samples.length - 1] as Sample).sim - s.startSim) / 1000));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const height = panels.length * PANEL_HEIGHT + 40;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${MARGIN.left}" y="18" font-size="14" font-weight="bold">${escape(title)}</text>`,
  ];
  panels.forEach((panel, index) => {
    const top = 30 + index * PANEL_HEIGHT;
    const lines = prepared.map((s) =>
      s.samples
        .map((x, i) => {
          const previous = s.samples[i - 1];
          const intervalS = previous ? (x.sim - previous.sim) / 1000 : 0;
          return { x: (x.sim - s.startSim) / 1000, y: panel.value(x, previous, intervalS) };
        })
        .filter((p) => p.x >= 0),
    );
    const maxY = Math.max(1, ...lines.flat().map((p) => p.y));
    const px = (x: number) => MARGIN.left + (x / maxX) * plotW;
    const py = (y: number) => top + MARGIN.top + plotH - (y / maxY) * plotH;
    parts.push(`<text x="${MARGIN.left}" y="${top + 18}" font-weight="bold">${escape(panel.title)}</text>`);
    parts.push(`<rect x="${MARGIN.left}" y="${top + MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#ccc"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${py(maxY) + 4}" text-anchor="end">${Math.round(maxY * 10) / 10}</text>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${py(0) + 4}" text-anchor="end">0</text>`);
    for (let t = 0; t <= 4; t++) {
      const x = (maxX * t) / 4;
      parts.push(`<text x="${px(x)}" y="${top + MARGIN.top + plotH + 14}" text-anchor="middle">${Math.round(x)} s</text>`);
    }
    lines.forEach((points, i) => {
      const s = prepared[i] as (typeof prepared)[number];
      const d = points.map((p, j) => `${j === 0 ? 'M' : 'L'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join('');
      parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    });
  });
  prepared.forEach((s, i) => {
    const x = MARGIN.left + i * 260;
    parts.push(
      `<line x1="${x}" y1="${height - 12}" x2="${x + 24}" y2="${height - 12}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`,
    );
    parts.push(`<text x="${x + 30}" y="${height - 8}">${escape(s.label)}</text>`);
  });
  parts.push(
    `<text x="${WIDTH - MARGIN.right}" y="${height - 8}" text-anchor="end">simulated seconds since the first article was dropped</text>`,
  );
  parts.push('</svg>');
  return parts.join('\n');
};
