// A small grouped bar chart drawn as SVG by hand (no chart library to ship or keep patched).
// Accessible: the SVG is one image with a title and a description, every bar also carries its
// value as text, and each screen that shows a chart shows the same numbers in a table.
import { useId } from "react";

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
}

interface Props {
  title: string;
  description: string;
  categories: string[];
  series: Series[];
  formatValue: (value: number) => string;
}

const WIDTH = 640;
const HEIGHT = 220;
const MARGIN = { top: 22, right: 8, bottom: 28, left: 8 };

export function BarChart({ title, description, categories, series, formatValue }: Props) {
  const id = useId();
  const max = Math.max(1, ...series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const band = plotWidth / Math.max(1, categories.length);
  const barWidth = (band * 0.8) / Math.max(1, series.length);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} width="100%">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={HEIGHT - MARGIN.bottom} y2={HEIGHT - MARGIN.bottom} stroke="#4d5661" />
        {categories.map((category, c) => (
          <g key={category}>
            {series.map((s, i) => {
              const value = s.values[c];
              if (value === null || value === undefined) return null;
              const height = (value / max) * plotHeight;
              const x = MARGIN.left + c * band + band * 0.1 + i * barWidth;
              const y = HEIGHT - MARGIN.bottom - height;
              return (
                <g key={s.label}>
                  <rect x={x} y={y} width={Math.max(1, barWidth - 2)} height={height} fill={s.color} />
                  <text x={x + barWidth / 2} y={y - 4} textAnchor="middle" fontSize="11" fill="#1b1f24">{formatValue(value)}</text>
                </g>
              );
            })}
            <text x={MARGIN.left + c * band + band / 2} y={HEIGHT - 8} textAnchor="middle" fontSize="12" fill="#1b1f24">{category}</text>
          </g>
        ))}
      </svg>
      <figcaption>
        <strong>{title}</strong>
        {series.length > 1 && (
          <ul className="chart-legend">
            {series.map((s) => (
              <li key={s.label}><span className="chart-swatch" style={{ background: s.color }} aria-hidden="true" />{s.label}</li>
            ))}
          </ul>
        )}
      </figcaption>
    </figure>
  );
}
