/**
 * The browser side of report.html: reads the embedded JSON and draws it with
 * lightweight-charts (loaded inline before this script). Kept as plain JavaScript text
 * so the report needs no build step and no network.
 */
export const CHART_SCRIPT = String.raw`
(function () {
  var LC = window.LightweightCharts;
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var sec = function (t) { return Math.floor(t / 1000); };
  var opts = function (el) {
    return { width: el.clientWidth || 900, height: 320, layout: { background: { color: '#ffffff' }, textColor: '#222' },
      grid: { vertLines: { color: '#eee' }, horzLines: { color: '#eee' } }, timeScale: { timeVisible: true } };
  };
  function chartIn(id) { var el = document.getElementById(id); return el ? LC.createChart(el, opts(el)) : null; }
  function dedupe(points) {
    var out = [];
    for (var i = 0; i < points.length; i++) {
      if (out.length && out[out.length - 1].time >= points[i].time) out[out.length - 1] = points[i]; else out.push(points[i]);
    }
    return out;
  }
  if (data.equity && data.equity.length) {
    var eq = dedupe(data.equity.map(function (p) { return { time: sec(p.time), value: p.equity }; }));
    var c1 = chartIn('equity-chart');
    c1.addSeries(LC.AreaSeries, { lineColor: '#1565c0', topColor: 'rgba(21,101,192,0.35)', bottomColor: 'rgba(21,101,192,0.02)' }).setData(eq);
    c1.timeScale().fitContent();
    var peak = -Infinity;
    var dd = eq.map(function (p) { peak = Math.max(peak, p.value); return { time: p.time, value: peak > 0 ? -(peak - p.value) / peak * 100 : 0 }; });
    var c2 = chartIn('drawdown-chart');
    c2.addSeries(LC.AreaSeries, { lineColor: '#c62828', topColor: 'rgba(198,40,40,0.02)', bottomColor: 'rgba(198,40,40,0.35)', invertFilledArea: true }).setData(dd);
    c2.timeScale().fitContent();
  }
  (data.markets || []).forEach(function (m, k) {
    var c = chartIn('market-chart-' + k);
    var s = c.addSeries(LC.CandlestickSeries, { upColor: '#26a69a', downColor: '#ef5350', borderVisible: false, wickUpColor: '#26a69a', wickDownColor: '#ef5350' });
    s.setData(dedupe(m.candles.map(function (x) { return { time: sec(x.time), open: x.open, high: x.high, low: x.low, close: x.close }; })));
    var marks = [];
    m.trades.forEach(function (t) {
      marks.push({ time: sec(t.entryTime), position: 'belowBar', color: '#2e7d32', shape: 'arrowUp', text: 'buy' });
      marks.push({ time: sec(t.exitTime), position: 'aboveBar', color: t.pnl >= 0 ? '#1565c0' : '#c62828', shape: 'arrowDown', text: (t.pnlPct >= 0 ? '+' : '') + t.pnlPct.toFixed(1) + '%' });
    });
    marks.sort(function (a, b) { return a.time - b.time; });
    LC.createSeriesMarkers(s, marks);
    c.timeScale().fitContent();
  });
  if (data.monteCarlo && data.monteCarlo.fan.length) {
    // Trade number on the x axis: lightweight-charts needs times, so trade k sits at day k.
    var c3 = chartIn('montecarlo-chart');
    c3.applyOptions({ localization: { timeFormatter: function (t) { return 'trade ' + Math.round(t / 86400); } },
      timeScale: { tickMarkFormatter: function (t) { return '#' + Math.round(t / 86400); } } });
    var colors = ['#ef9a9a', '#90caf9', '#1565c0', '#90caf9', '#a5d6a7'];
    var names = ['p5', 'p25', 'p50', 'p75', 'p95'];
    for (var q = 0; q < 5; q++) {
      c3.addSeries(LC.LineSeries, { color: colors[q], lineWidth: q === 2 ? 3 : 1, title: names[q] })
        .setData(data.monteCarlo.fan.map(function (row, i) { return { time: (i + 1) * 86400, value: row[q] }; }));
    }
    c3.timeScale().fitContent();
  }
  document.body.setAttribute('data-rendered', 'yes');
})();
`;
