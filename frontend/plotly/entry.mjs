import Plotly from './entry.js';
export default Plotly;
