"use client";

import { useTheme } from "next-themes";
import type { ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useMounted } from "@/components/shell/use-mounted";
import type { RotationSummary } from "@/lib/validations/rotation";
import { complianceSeries, dueSeries } from "./chart-series";

const palettes = {
  light: { text: "#52525b", grid: "#e4e4e7", surface: "#ffffff", border: "#d4d4d8", cursor: "#f4f4f5" },
  dark: { text: "#a1a1aa", grid: "#3f3f46", surface: "#18181b", border: "#3f3f46", cursor: "#27272a" },
};
const colors = { due: "#f59e0b", rotated: "#0ea5e9", compliant: "#10b981", notCompliant: "#ef4444" };
const CHART_HEIGHT = 180;

// "2026-02" → "Feb"; January shows its year ("Jan 27") so the axis reads across the turn of the year.
const monthTick = (month: string) => {
  const date = new Date(`${month}-01T00:00:00Z`);
  const name = date.toLocaleString("en", { month: "short", timeZone: "UTC" });
  return date.getUTCMonth() === 0 ? `${name} ${month.slice(2, 4)}` : name;
};

function usePalette() {
  const { resolvedTheme } = useTheme();
  const mounted = useMounted();
  return mounted && resolvedTheme === "dark" ? palettes.dark : palettes.light;
}

type FigureProps = { title: string; summary: string; table: ReactNode; children: ReactNode };

/** A chart with its caption, an aria summary, and its numbers as a table for screen readers. */
function ChartFigure({ title, summary, table, children }: FigureProps) {
  return (
    <figure className="min-w-0 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <figcaption className="mb-2 text-sm font-semibold text-zinc-700 dark:text-zinc-300">
        {title}
        <span className="block text-xs font-normal text-zinc-600 dark:text-zinc-400">{summary}</span>
      </figcaption>
      {/* Hidden from assistive technology (the table below carries the numbers), so recharts' keyboard
          layer is off: a focusable chart inside aria-hidden is a trap axe rightly flags. */}
      <div aria-hidden style={{ height: CHART_HEIGHT }}>
        {children}
      </div>
      <div className="sr-only">{table}</div>
    </figure>
  );
}

function SrTable({
  caption,
  head,
  rows,
}: {
  caption: string;
  head: [string, string];
  rows: [string, string | number][];
}) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{head[0]}</th>
          <th scope="col">{head[1]}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The Rotations page's three charts: what falls due, what was rotated, who is compliant. */
export function RotationCharts({ summary, generatedAt }: { summary: RotationSummary; generatedAt: string }) {
  const palette = usePalette();
  const due = dueSeries(summary.dueByDay, generatedAt);
  const dueTotal = due.reduce((sum, d) => sum + d.count, 0);
  const rotatedTotal = summary.rotationsByMonth.reduce((sum, m) => sum + m.count, 0);
  const teams = complianceSeries(summary.complianceByTeam);
  const axis = { tick: { fill: palette.text, fontSize: 11 }, stroke: palette.grid };
  const tooltip = {
    contentStyle: { background: palette.surface, borderColor: palette.border, fontSize: 12 },
    labelStyle: { color: palette.text },
    cursor: { fill: palette.cursor },
  };

  return (
    <div className="grid gap-4 lg:grid-cols-3" data-testid="rotation-charts">
      <ChartFigure
        title="Falling due, next 90 days"
        summary={`${dueTotal} key${dueTotal === 1 ? "" : "s"} fall due in the next 90 days.`}
        table={
          <SrTable
            caption="Keys falling due per day"
            head={["Day", "Keys due"]}
            rows={summary.dueByDay.map((d) => [d.date.slice(0, 10), d.count])}
          />
        }
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart accessibilityLayer={false} data={due} margin={{ top: 4, right: 4, bottom: 0, left: -24 }}>
            <CartesianGrid stroke={palette.grid} vertical={false} />
            <XAxis dataKey="date" {...axis} tickFormatter={(d: string) => d.slice(5)} minTickGap={24} />
            <YAxis {...axis} allowDecimals={false} />
            <Tooltip {...tooltip} />
            <Bar dataKey="count" name="Keys due" fill={colors.due} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ChartFigure>
      <ChartFigure
        title="Rotations per month, last 12 months"
        summary={`${rotatedTotal} rotation${rotatedTotal === 1 ? "" : "s"} in the last 12 months.`}
        table={
          <SrTable
            caption="Rotations per month"
            head={["Month", "Rotations"]}
            rows={summary.rotationsByMonth.map((m) => [m.month, m.count])}
          />
        }
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            accessibilityLayer={false}
            data={summary.rotationsByMonth}
            margin={{ top: 4, right: 4, bottom: 0, left: -24 }}
          >
            <CartesianGrid stroke={palette.grid} vertical={false} />
            <XAxis dataKey="month" {...axis} tickFormatter={monthTick} />
            <YAxis {...axis} allowDecimals={false} />
            <Tooltip {...tooltip} />
            <Bar dataKey="count" name="Rotations" fill={colors.rotated} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ChartFigure>
      <ChartFigure
        title="Compliance per team"
        summary={
          teams.length === 0
            ? "No keys."
            : `Least compliant: ${teams[0]!.team} at ${teams[0]!.percent}% (compliant or waived).`
        }
        table={
          <SrTable
            caption="Compliant or waived keys per team"
            head={["Team", "Compliant"]}
            rows={teams.map((t) => [t.team, `${t.compliant} of ${t.total} (${t.percent}%)`])}
          />
        }
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            accessibilityLayer={false}
            data={teams.slice(0, 8)}
            layout="vertical"
            margin={{ top: 4, right: 4, bottom: 0, left: 8 }}
          >
            <CartesianGrid stroke={palette.grid} horizontal={false} />
            <XAxis type="number" {...axis} allowDecimals={false} />
            <YAxis type="category" dataKey="team" {...axis} width={80} />
            <Tooltip {...tooltip} />
            <Legend wrapperStyle={{ fontSize: 11, color: palette.text }} />
            <Bar
              dataKey="compliant"
              name="Compliant / waived"
              stackId="keys"
              fill={colors.compliant}
              isAnimationActive={false}
            />
            <Bar
              dataKey="notCompliant"
              name="Not compliant"
              stackId="keys"
              fill={colors.notCompliant}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </ChartFigure>
    </div>
  );
}
