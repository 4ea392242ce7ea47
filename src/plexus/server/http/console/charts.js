// Small line charts drawn as SVG (no charting library): a rolling window of points per series.
"use strict";

const PlexusCharts = (() => {
  const kSvg = "http://www.w3.org/2000/svg";
  const kPointsMax = 90;
  const kWidthDefault = 320;  // before the chart is laid out
  const kHeight = 140;
  const kMargin = {left: 44, right: 8, top: 8, bottom: 18};

  function svgElement(name, attributes) {
    const element = document.createElementNS(kSvg, name);
    for (const key in attributes) element.setAttribute(key, attributes[key]);
    return element;
  }

  // The smallest of 1, 2, 2.5, 5 times a power of ten that is at least `value` (1 for 0): a
  // y-axis top whose half is a round number too.
  function niceCeiling(value) {
    if (!(value > 0)) return 1;
    const power = Math.pow(10, Math.floor(Math.log10(value)));
    for (const step of [1, 2, 2.5, 5, 10]) {
      if (step * power >= value) return step * power;
    }
    return 10 * power;
  }

  function formatNumber(value) {
    if (value === 0) return "0";
    const magnitude = Math.abs(value);
    if (magnitude >= 1e6) return (value / 1e6).toFixed(1) + "M";
    if (magnitude >= 1e3) return (value / 1e3).toFixed(1) + "k";
    if (magnitude >= 10) return value.toFixed(0);
    if (magnitude >= 1) return value.toFixed(1);
    return value.toPrecision(2);
  }

  // A chart in `figure` with `series` [{key, name, color}]; options.max fixes the y range's top
  // (e.g. 1 for a ratio), otherwise it follows the data.
  class LineChart {
    constructor(figure, series, options = {}) {
      this.series = series;
      this.options = options;
      this.points = [];  // [{time, values: {key: number|null}}]
      // The view box follows the element's width (render), so text is never stretched.
      this.svg = svgElement("svg", {role: "img"});
      this.legend = document.createElement("div");
      this.legend.className = "legend";
      for (const s of series) {
        const item = document.createElement("span");
        const swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = s.color;
        const label = document.createElement("span");
        label.textContent = s.name;
        item.append(swatch, label);
        this.legend.append(item);
      }
      figure.append(this.svg, this.legend);
      window.addEventListener("resize", () => this.render());
      this.render();
    }

    push(time, values) {
      this.points.push({time, values});
      if (this.points.length > kPointsMax) this.points.shift();
      this.render();
    }

    render() {
      const width = this.svg.clientWidth || kWidthDefault;
      this.svg.setAttribute("viewBox", `0 0 ${width} ${kHeight}`);
      const plotWidth = width - kMargin.left - kMargin.right;
      const plotHeight = kHeight - kMargin.top - kMargin.bottom;
      let top = this.options.max || 0;
      if (!this.options.max) {
        for (const point of this.points)
          for (const s of this.series) {
            const v = point.values[s.key];
            if (v !== null && v !== undefined && isFinite(v)) top = Math.max(top, v);
          }
        top = niceCeiling(top);
      }
      const first = this.points.length ? this.points[0].time : 0;
      const last = this.points.length ? this.points[this.points.length - 1].time : 1;
      const span = Math.max(last - first, 1);
      const x = (time) => kMargin.left + ((time - first) / span) * plotWidth;
      const y = (value) => kMargin.top + plotHeight - (Math.min(value, top) / top) * plotHeight;

      this.svg.replaceChildren();
      const bottom = kMargin.top + plotHeight;
      this.svg.append(
          svgElement("line", {class: "axis", x1: kMargin.left, y1: bottom,
                              x2: width - kMargin.right, y2: bottom}),
          svgElement("line", {class: "axis", x1: kMargin.left, y1: kMargin.top,
                              x2: kMargin.left, y2: bottom}));
      for (const [value, ypos] of [[top, kMargin.top + 8], [top / 2, kMargin.top + plotHeight / 2 + 3],
                                   [0, bottom]]) {
        const label = svgElement("text", {class: "label", x: kMargin.left - 4, y: ypos,
                                          "text-anchor": "end"});
        label.textContent = this.options.format ? this.options.format(value) : formatNumber(value);
        this.svg.append(label);
      }
      const seconds = svgElement("text", {class: "label", x: width - kMargin.right, y: kHeight - 4,
                                          "text-anchor": "end"});
      seconds.textContent = this.points.length > 1 ? `last ${Math.round(span / 1000)} s` : "waiting for data";
      this.svg.append(seconds);

      for (const s of this.series) {
        let path = "";
        let pen = "M";
        let last = null;
        for (const point of this.points) {
          const v = point.values[s.key];
          if (v === null || v === undefined || !isFinite(v)) {
            pen = "M";  // a gap where the value was unknown
            continue;
          }
          last = {x: x(point.time).toFixed(1), y: y(v).toFixed(1)};
          path += `${pen}${last.x},${last.y} `;
          pen = "L";
        }
        if (path) {
          this.svg.append(svgElement("path", {class: "line", d: path, stroke: s.color,
                                              "data-series": s.key}));
          // The latest value as a dot: visible even while it is the only point.
          this.svg.append(svgElement("circle", {cx: last.x, cy: last.y, r: 2.5, fill: s.color}));
        }
      }
    }
  }

  return {LineChart, formatNumber, niceCeiling};
})();
