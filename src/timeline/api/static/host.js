// timeline's host script, served at /embed.js: put it once on a page that embeds timelines
// and every timeline <iframe> from this server takes its content's height (no inner scroll
// bar, no empty space). Each embed posts {type: 'timeline:resize', height} to its parent;
// this script sets the height of the iframe that sent it, and asks frames that reported
// before it loaded to report again. Nothing else on the page is touched.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__timelineHost) return;
  window.__timelineHost = true;
  var origin = new URL(script.src, window.location.href).origin;
  var MIN = 120;
  var MAX = 20000;

  function frames() {
    return Array.prototype.filter.call(document.getElementsByTagName('iframe'), function (f) {
      try {
        var url = new URL(f.src, window.location.href);
        return url.origin === origin && url.pathname.indexOf('/embed/') !== -1;
      } catch (error) {
        return false;
      }
    });
  }

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (event.origin !== origin || !data || data.type !== 'timeline:resize') return;
    var height = Number(data.height);
    if (!isFinite(height)) return;
    height = Math.min(MAX, Math.max(MIN, Math.ceil(height)));
    frames().forEach(function (frame) {
      if (frame.contentWindow !== event.source) return;
      frame.style.height = height + 'px';
      frame.setAttribute('height', String(height));
      frame.setAttribute('scrolling', 'no');
    });
  });

  function ask() {
    frames().forEach(function (frame) {
      if (frame.contentWindow) frame.contentWindow.postMessage({ type: 'timeline:measure' }, origin);
    });
  }
  ask();
  window.addEventListener('load', ask);
})();
