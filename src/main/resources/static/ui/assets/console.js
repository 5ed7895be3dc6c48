// The GLISK console's little script: pages are complete without it; it keeps them current while work runs.
//  - <main data-refresh-ms="N">: every N ms (while the tab is visible) the page is fetched again and its parts
//    marked data-live (by id) are swapped for the new ones; data-live="rows" swaps only the rows (data-key) that
//    changed, so images that did not change are not loaded again. A page without data-refresh-ms stops it.
//  - <time datetime>: shown as "3 min ago", the UTC time as its tooltip (but <time class="exact">: a story's times).
//  - an image that does not load gives way to a "no image" placeholder.
//  - #health: the service's health, read from /actuator/health, with its components (when signed in).
//  - #task-form (the avatar order): the description's characters counted as the service counts them, and what the
//    order amounts to.
//  - #viewer: a click on a persona's photo shows it large in a modal dialog, ← and → (or the buttons) go through
//    that persona's photos, Esc closes it. Without the script the photo opens as a page of its own.
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

  // A form on its way (cancel, retry): no refresh any more. Its answer is a redirect that carries a notice for
  // the next view of this page, and a refresh read in between would take the notice away.
  var leaving = false;
  document.addEventListener('submit', function (event) { leaving = leaving || !event.defaultPrevented; });

  function refresh(main) {
    var delay = parseInt(main.dataset.refreshMs, 10);
    if (!(delay > 0)) { return; }
    window.setTimeout(function tick() {
      if (leaving) { return; }
      if (document.hidden) { window.setTimeout(tick, delay); return; }
      fetch(window.location.href, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' } })
        .then(function (response) {
          // signed out (the session ended): let the browser go to the sign-in page
          if (response.status === 401 || response.redirected) { window.location.reload(); return null; }
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (leaving) { return; }
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

  function orderForm(form) {
    var description = form.querySelector('textarea[data-count]');
    var counter = document.getElementById(description.dataset.count);
    var max = parseInt(description.dataset.max, 10);
    var summary = document.getElementById('order-summary');
    function update() {
      // code points, as the service counts them (an emoji is one character, not two)
      var chars = Array.from(description.value).length;
      counter.textContent = chars + ' / ' + max + ' characters' + (chars > max ? ': ' + (chars - max) + ' too many' : '');
      counter.classList.toggle('over', chars > max);
      var personas = parseInt(form.elements.personaCount.value, 10);
      var photos = form.querySelector('input[name=imagesPerPersona]:checked');
      summary.textContent = personas > 0 && photos
        ? personas + ' personas × ' + photos.value + ' photos = ' + personas * parseInt(photos.value, 10)
          + ' photos, and a base selfie of each' : '';
    }
    form.addEventListener('input', update);
    update();
  }

  function viewer(dialog) {
    var image = document.getElementById('viewer-image');
    var caption = document.getElementById('viewer-caption');
    var photos = [];
    var index = 0;
    var opener = null;
    function show(at) {
      index = (at + photos.length) % photos.length;
      image.src = photos[index].href;
      image.alt = photos[index].dataset.caption;
      caption.textContent = photos[index].dataset.caption + ' (' + (index + 1) + ' of ' + photos.length + ')';
    }
    // on the document: the persona cards are swapped for new ones while the task is worked on
    document.addEventListener('click', function (event) {
      var link = event.target instanceof Element ? event.target.closest('a.photo') : null;
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
      event.preventDefault();
      photos = Array.prototype.slice.call(link.closest('.photos').querySelectorAll('a.photo'));
      opener = link;
      show(photos.indexOf(link));
      dialog.showModal();
    });
    document.getElementById('viewer-previous').addEventListener('click', function () { show(index - 1); });
    document.getElementById('viewer-next').addEventListener('click', function () { show(index + 1); });
    document.getElementById('viewer-close').addEventListener('click', function () { dialog.close(); });
    dialog.addEventListener('keydown', function (event) {
      if (event.key === 'ArrowLeft') { show(index - 1); event.preventDefault(); }
      if (event.key === 'ArrowRight') { show(index + 1); event.preventDefault(); }
    });
    // a click on the dimmed page around the photo closes it, as Esc does
    dialog.addEventListener('click', function (event) { if (event.target === dialog) { dialog.close(); } });
    dialog.addEventListener('close', function () {
      image.removeAttribute('src');
      if (opener && opener.isConnected) { opener.focus(); }
    });
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
    var form = document.getElementById('task-form');
    if (form) { orderForm(form); }
    var dialog = document.getElementById('viewer');
    if (dialog) { viewer(dialog); }
  });
}());
