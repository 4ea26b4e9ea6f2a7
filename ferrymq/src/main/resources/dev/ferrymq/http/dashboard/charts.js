'use strict';
// Small canvas charts for the dashboard: a line chart with axes and legend, and a sparkline. No library.
window.FerryCharts = (() => {
  /** Sizes the canvas's bitmap to its CSS box and the screen's pixel ratio; returns its context and CSS size. */
  function prepare(canvas) {
    const ratio = window.devicePixelRatio || 1;
    const w = canvas.clientWidth || canvas.width;
    const h = canvas.clientHeight || canvas.height;
    if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
    }
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, w, h);
    return { g, w, h };
  }

  /** A round upper bound for an axis: 1, 2 or 5 times a power of ten. */
  function niceMax(v) {
    if (!(v > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
    return 10 * p;
  }

  function label(v) {
    if (v >= 1e6) return (v / 1e6).toFixed(v % 1e6 ? 1 : 0) + 'M';
    if (v >= 1e3) return (v / 1e3).toFixed(v % 1e3 ? 1 : 0) + 'k';
    return String(Math.round(v * 100) / 100);
  }

  /**
   * Draws series over time: series = [{label, color, points: [[timeMs, value|null], ...]}]; spanMs is the width of
   * the time window ending at the newest point.
   */
  function line(canvas, series, spanMs) {
    const { g, w, h } = prepare(canvas);
    const left = 44, right = 8, top = 18, bottom = 18;
    const all = series.flatMap(s => s.points);
    const end = all.length ? Math.max(...all.map(p => p[0])) : Date.now();
    const start = end - spanMs;
    const max = niceMax(Math.max(0, ...all.map(p => p[1] || 0)));
    const x = t => left + (t - start) / spanMs * (w - left - right);
    const y = v => top + (1 - v / max) * (h - top - bottom);
    g.font = '11px system-ui, sans-serif';
    g.strokeStyle = '#e3e6ec';
    g.fillStyle = '#6b7385';
    g.lineWidth = 1;
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (let i = 0; i <= 4; i++) {
      const v = max * i / 4;
      g.beginPath();
      g.moveTo(left, Math.round(y(v)) + 0.5);
      g.lineTo(w - right, Math.round(y(v)) + 0.5);
      g.stroke();
      g.fillText(label(v), left - 4, y(v));
    }
    g.textAlign = 'left';
    g.textBaseline = 'bottom';
    g.fillText('-' + Math.round(spanMs / 1000) + ' s', left, h - 2);
    g.textAlign = 'right';
    g.fillText('now', w - right, h - 2);
    g.lineWidth = 1.8;
    for (const s of series) {
      g.strokeStyle = s.color;
      g.beginPath();
      let drawing = false;
      for (const [t, v] of s.points) {
        if (v == null || t < start) { drawing = false; continue; }
        if (drawing) g.lineTo(x(t), y(v)); else g.moveTo(x(t), y(v));
        drawing = true;
      }
      g.stroke();
    }
    let lx = left + 4;
    g.textAlign = 'left';
    g.textBaseline = 'top';
    for (const s of series) {
      g.fillStyle = s.color;
      g.fillRect(lx, 3, 10, 10);
      g.fillStyle = '#1d2330';
      const last = s.points.length ? s.points[s.points.length - 1][1] : null;
      const text = s.label + (last == null ? '' : ' ' + label(last));
      g.fillText(text, lx + 14, 2);
      lx += g.measureText(text).width + 28;
    }
  }

  /** Draws one series as a small line scaled to its own maximum. */
  function spark(canvas, values, color) {
    const { g, w, h } = prepare(canvas);
    const n = values.length;
    if (n < 2) return;
    const max = Math.max(1, ...values);
    g.strokeStyle = color;
    g.lineWidth = 1.2;
    g.beginPath();
    values.forEach((v, i) => {
      const px = i / (n - 1) * (w - 2) + 1;
      const py = h - 2 - v / max * (h - 4);
      if (i) g.lineTo(px, py); else g.moveTo(px, py);
    });
    g.stroke();
  }

  return { line, spark };
})();
