import { BarChart, LineChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

// Only the chart kinds and parts the dashboard draws, so the chunk stays small; SVG draws text as
// text, which screen readers and print keep.
echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  AriaComponent,
  SVGRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/** One ECharts chart, redrawn when its option changes and resized with the window. */
export function Chart({
  option,
  label,
  height = 320,
}: {
  option: ChartOption;
  label: string;
  height?: number;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: "svg" });
    chart.current = instance;
    const resize = () => instance.resize();
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      instance.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    // The aria component writes the chart's label for screen readers onto the container.
    chart.current?.setOption(
      { aria: { enabled: true, label: { description: label } }, animation: false, ...option },
      true,
    );
  }, [option, label]);
  return (
    <div ref={element} className="chart" role="img" aria-label={label} style={{ width: "100%", height }} />
  );
}
