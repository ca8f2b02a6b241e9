// CareLoop console: the little JavaScript the pages use (no build step, no inline script: the CSP forbids it).
// Live alert queue, the idle-timeout warning, and charts drawn with uPlot (served from our own server).
(function () {
  'use strict';
  var POLL_MS = 3000;
  var WARN_MS = 2 * 60 * 1000;
  var live = { 'x-console-live': '1' };

  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();

  // The session check and the queue refresh can both see the 401: navigate once, and poll no more after it
  // (a second navigation would abort the first).
  var leaving = false;
  function signedOut() {
    if (leaving) return;
    leaving = true;
    window.location.assign('/console/sign-in?reason=idle');
  }

  // ---- Idle warning: the server's clock decides; polling never counts as activity. ----
  if (document.body.dataset.session === 'on') {
    var dialog = document.getElementById('idle-warning');
    var left = document.getElementById('idle-left');
    var stay = document.getElementById('stay-form');
    var checkSession = function () {
      if (leaving) return;
      fetch('/console/session', { headers: live, credentials: 'same-origin' }).then(function (res) {
        if (res.status === 401) return signedOut();
        if (!res.ok) return;
        return res.json().then(function (state) {
          if (state.idleRemainingMs <= WARN_MS) {
            left.textContent = Math.max(1, Math.ceil(state.idleRemainingMs / 60000)) + ' minute(s)';
            if (!dialog.open) dialog.showModal();
          } else if (dialog.open) {
            dialog.close();
          }
        });
      }).catch(function () { /* offline for a moment: try again next time */ });
    };
    stay.addEventListener('submit', function (event) {
      event.preventDefault();
      var token = stay.querySelector('input[name=_csrf]').value;
      fetch('/console/session/keepalive', { method: 'POST', headers: { 'x-console-live': '1', 'x-csrf-token': token }, credentials: 'same-origin' }).then(function (res) {
        if (res.status === 401) return signedOut();
        if (res.ok) dialog.close();
      });
    });
    setInterval(checkSession, POLL_MS);
  }

  // ---- Live alert queue: swap the rows when they change, keeping focus where it was. ----
  var source = document.getElementById('live-source');
  if (source) {
    var url = source.dataset.liveSrc;
    var status = document.getElementById('live-status');
    var last = null;
    var refresh = function () {
      if (leaving) return;
      fetch(url, { headers: live, credentials: 'same-origin' }).then(function (res) {
        if (res.status === 401) return signedOut();
        if (!res.ok) return;
        return res.text().then(function (text) {
          if (last === null) last = document.getElementById('queue-rows').outerHTML;
          if (text === last) return;
          last = text;
          var focusedId = document.activeElement && document.activeElement.id;
          var template = document.createElement('template');
          template.innerHTML = text;
          var fresh = template.content.firstElementChild;
          var before = document.querySelectorAll('#queue-rows tr[data-alert-id]').length;
          document.getElementById('queue-rows').replaceWith(fresh);
          var after = fresh.querySelectorAll('tr[data-alert-id]').length;
          if (focusedId && document.getElementById(focusedId)) document.getElementById(focusedId).focus();
          status.textContent = after > before ? (after - before) + ' new alert(s). ' + after + ' in the list.' : 'Alert list updated: ' + after + ' in the list.';
        });
      }).catch(function () { /* try again next time */ });
    };
    setInterval(refresh, POLL_MS);
  }

  // ---- Passkeys (the WebAuthn calls are @simplewebauthn/browser's, served from our server) ----
  var webauthn = window.SimpleWebAuthnBrowser;
  if (webauthn && webauthn.browserSupportsWebAuthn()) {
    var postJson = function (url, body, csrf) {
      var headers = { 'content-type': 'application/json', 'x-console-live': '1' };
      if (csrf) headers['x-csrf-token'] = csrf;
      return fetch(url, { method: 'POST', headers: headers, credentials: 'same-origin', body: JSON.stringify(body || {}) }).then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (json) {
          if (!res.ok) throw new Error((json.error && json.error.message) || 'Something went wrong (' + res.status + '). Try again.');
          return json;
        });
      });
    };
    var explain = function (error) {
      if (error && error.name === 'InvalidStateError') return 'This device holds a passkey for your account already.';
      // The browser's other errors (cancelled, timed out, no passkey here) all mean "not this time".
      return error && error.name && error.name !== 'Error' ? 'The passkey was not used. Try again, or use your password and code.' : error.message;
    };

    var signIn = document.getElementById('passkey-sign-in');
    if (signIn) {
      signIn.hidden = false;
      var signInStatus = document.getElementById('passkey-status');
      document.getElementById('passkey-button').addEventListener('click', function () {
        signInStatus.textContent = 'Waiting for your passkey…';
        postJson('/console/sign-in/passkey/options')
          .then(function (options) { return webauthn.startAuthentication({ optionsJSON: options }); })
          .then(function (response) { return postJson('/console/sign-in/passkey', { response: response }); })
          .then(function (result) { window.location.assign(result.redirect); })
          .catch(function (error) { signInStatus.textContent = explain(error); });
      });
    }

    var addForm = document.getElementById('passkey-form');
    if (addForm) {
      addForm.hidden = false;
      document.getElementById('passkey-unsupported').hidden = true;
      var addStatus = document.getElementById('passkey-status');
      var csrf = addForm.dataset.csrf;
      addForm.addEventListener('submit', function (event) {
        event.preventDefault();
        var name = document.getElementById('passkey-name').value;
        addStatus.textContent = 'Follow your browser\u2019s steps to create the passkey…';
        postJson('/console/account/passkeys/options', {}, csrf)
          .then(function (options) { return webauthn.startRegistration({ optionsJSON: options }); })
          .then(function (response) { return postJson('/console/account/passkeys', { name: name, response: response }, csrf); })
          .then(function (result) { window.location.assign(result.redirect); })
          .catch(function (error) { addStatus.textContent = explain(error); });
      });
    }
  }

  // ---- Charts ----
  if (window.uPlot) {
    document.querySelectorAll('figure[data-chart]').forEach(function (figure) {
      var data = JSON.parse(figure.querySelector('script[type="application/json"]').textContent);
      var target = figure.querySelector('.plot');
      if (data.length === 0) return;
      var days = data.map(function (d) { return Date.parse(d.date + 'T12:00:00Z') / 1000; });
      var width = Math.max(280, Math.min(720, target.clientWidth || 600));
      var opts;
      var series;
      if (figure.dataset.chart === 'adherence' || figure.dataset.chart === 'response') {
        opts = {
          width: width, height: 220,
          scales: { x: { time: true }, y: { range: [0, 100] } },
          axes: [{}, { label: figure.dataset.chart === 'adherence' ? '% taken' : '% answered', values: function (u, v) { return v.map(function (x) { return x + '%'; }); } }],
          series: [{}, { label: figure.dataset.chart === 'adherence' ? 'Taken (%)' : 'Answered (%)', stroke: '#1d4ed8', fill: 'rgba(29,78,216,0.35)', paths: uPlot.paths.bars({ size: [0.6, 60] }), points: { show: false } }],
        };
        series = [days, data.map(function (d) { return d.due ? Math.round((d.taken / d.due) * 100) : null; })];
      } else {
        var threshold = Number(figure.dataset.threshold);
        opts = {
          width: width, height: 240,
          scales: { x: { time: true }, pain: { range: [0, 10] }, temp: { range: [35, 41] } },
          axes: [{}, { scale: 'pain', label: 'Pain (0-10)' }, { scale: 'temp', side: 1, label: 'Temperature (°C)', grid: { show: false } }],
          series: [{},
            { label: 'Pain', scale: 'pain', stroke: '#7c2d12', width: 2 },
            { label: 'Temperature (°C)', scale: 'temp', stroke: '#1d4ed8', width: 2 },
            { label: 'Fever threshold (' + threshold.toFixed(1) + ' °C)', scale: 'temp', stroke: '#b91c1c', dash: [6, 4], points: { show: false } }],
        };
        series = [days, data.map(function (d) { return d.pain === undefined ? null : d.pain; }), data.map(function (d) { return d.temperature === undefined ? null : d.temperature; }), days.map(function () { return threshold; })];
      }
      new uPlot(opts, series, target);
      figure.dataset.drawn = 'yes';
    });
  }
})();
