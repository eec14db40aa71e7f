// The dashboard's plotly.js: core (which includes scatter) and the trace types perfeval/charts*.py draw.
// tests/unit/test_plotly_bundle.py fails when a chart uses a trace type that is not registered here.
var Plotly = require('plotly.js/lib/core');
Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/indicator'),
    require('plotly.js/lib/treemap'),
    require('plotly.js/lib/waterfall'),
    require('plotly.js/lib/scatterpolar'),
]);
module.exports = Plotly;
