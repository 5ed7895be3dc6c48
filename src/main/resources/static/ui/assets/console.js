// The GLISK console's little script: pages are complete without it; it keeps them current while work runs.
//  - <main data-refresh-ms="N">: every N ms (while the tab is visible) the page is fetched again and its parts
//    marked data-live (by id) are swapped for the new ones; data-live="rows" swaps only the rows (data-key) that
//    changed, so images that did not change are not loaded again. A page without data-refresh-ms stops it.
//  - <time datetime>: shown as "3 min ago", the UTC time as its tooltip (but <time class="exact">: a story's times).
//  - an image that does not load gives way to a "no image" placeholder.
//  - #health: the service's health, read from /actuator/health, with its components (when signed in).
(function () {
  'use strict';

  function ago(iso) {
    var seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (seconds < 5) { return 'just now'; }
    if (seconds < 60) { return seconds + ' s ago'; }
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) { return minutes + ' min ago'; }
    var hours = Math.floor(minutes / 60);
    if (hours < 24) { return hours + ' h ago'; }
    return Math.floor(hours / 24) + ' d ago';
  }

  function showTimes(root) {
    root.querySelectorAll('time[datetime]:not(.exact)').forEach(function (time) {
      if (!time.title) { time.title = time.textContent; }
      time.textContent = ago(time.getAttribute('datetime'));
    });
  }

  // what the server sent for an element, before showTimes changed it: compared with the next refresh
  function remember(element) {
    element.dataset.sent = element.innerHTML;
  }

  function rememberPart(part) {
    if (part.dataset.live === 'rows') {
      Array.prototype.forEach.call(part.children, remember);
    } else {
      remember(part);
    }
  }

  function swapRows(current, fresh) {
    var kept = {};
    Array.prototype.forEach.call(current.children, function (row) { kept[row.dataset.key] = row; });
    var rows = Array.prototype.map.call(fresh.children, function (row) {
      var old = kept[row.dataset.key];
      if (old && old.dataset.sent === row.innerHTML) { return old; }
      var added = document.importNode(row, true);
      remember(added);
      showTimes(added);
      return added;
    });
    current.replaceChildren.apply(current, rows);
  }

  function swap(current, fresh) {
    if (current.dataset.live === 'rows') {
      swapRows(current, fresh);
    } else if (current.dataset.sent !== fresh.innerHTML) {
      current.innerHTML = fresh.innerHTML;
      remember(current);
      showTimes(current);
    }
  }

  function liveParts(root) {
    return root.querySelectorAll('[data-live]');
  }

  function refresh(main) {
    var delay = parseInt(main.dataset.refreshMs, 10);
    if (!(delay > 0)) { return; }
    window.setTimeout(function tick() {
      if (document.hidden) { window.setTimeout(tick, delay); return; }
      fetch(window.location.href, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' } })
        .then(function (response) {
          // signed out (the session ended): let the browser go to the sign-in page
          if (response.status === 401 || response.redirected) { window.location.reload(); return null; }
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html === null) { window.setTimeout(tick, delay); return; }
          var page = new DOMParser().parseFromString(html, 'text/html');
          liveParts(page).forEach(function (fresh) {
            var current = fresh.id && document.getElementById(fresh.id);
            if (current) { swap(current, fresh); }
          });
          var next = page.querySelector('main[data-refresh-ms]');
          if (next) {
            delay = parseInt(next.dataset.refreshMs, 10);
            window.setTimeout(tick, delay);
          } else {
            delete main.dataset.refreshMs;
          }
        })
        .catch(function () { window.setTimeout(tick, delay * 2); });
    }, delay);
  }

  function health(badge) {
    fetch('/actuator/health', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        var status = String(answer.status || 'UNKNOWN');
        badge.textContent = status;
        badge.className = 'badge badge-' + status.toLowerCase();
        var details = document.getElementById('health-details');
        if (!details || !answer.components) { return; }
        var names = Object.keys(answer.components).sort();
        var statusOf = function (name) { return String(answer.components[name].status || 'UNKNOWN'); };
        var troubled = names.filter(function (name) { return statusOf(name) !== 'UP'; });
        // what is not UP first, and open: that is what the reader came for
        troubled.concat(names.filter(function (name) { return statusOf(name) === 'UP'; })).forEach(function (name) {
          var item = document.createElement('li');
          var label = document.createElement('span');
          label.className = 'badge badge-' + statusOf(name).toLowerCase();
          label.textContent = name + ' ' + statusOf(name);
          item.appendChild(label);
          details.querySelector('ul').appendChild(item);
        });
        details.querySelector('summary').textContent = troubled.length === 0
          ? names.length + ' components, all UP' : troubled.length + ' of ' + names.length + ' components not UP';
        details.open = troubled.length > 0;
        details.hidden = false;
      })
      .catch(function () { badge.textContent = 'unreachable'; badge.className = 'badge badge-down'; });
  }

  // image errors do not bubble: listen while they are captured
  document.addEventListener('error', function (event) {
    var image = event.target;
    if (!(image instanceof HTMLImageElement) || !image.dataset.fallback) { return; }
    var placeholder = document.createElement('span');
    placeholder.className = image.dataset.fallback;
    placeholder.textContent = 'image unavailable';
    image.replaceWith(placeholder);
  }, true);

  document.addEventListener('DOMContentLoaded', function () {
    liveParts(document).forEach(rememberPart);
    showTimes(document);
    var main = document.querySelector('main[data-refresh-ms]');
    if (main) { refresh(main); }
    var badge = document.getElementById('health');
    if (badge) { health(badge); }
  });
}());
