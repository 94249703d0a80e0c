// Load TimelineJS3 on the JSON given as ?source=... (default /timeline.json). Everything it
// needs comes from the test server: script_path points at the vendored dist.
const params = new URLSearchParams(window.location.search);
const source = params.get('source') || '/timeline.json';
window.timelineReady = false;
window.timeline = new TL.Timeline('timeline-embed', source, {
  script_path: new URL('/__vendor__/timelinejs/js/', window.location.href).href,
  language: 'en',
  hash_bookmark: false,
  ga_measurement_id: null,
  font: null, // the default font CSS loads PT Sans from Google Fonts: keep to system fonts
});
window.timeline.on('loaded', () => { window.timelineReady = true; });
