// phocap's province dashboard for staff: plain JavaScript, the public API only, cut by the server to
// the signed-in staff member's scope. Sign in, pick a campaign, and see its live counters (SSE
// through EventSource with a stream ticket), the report by locality level (click a row to go a
// level down), the leaderboard, the at-risk call lists with their CSV, and announcements.
'use strict';

const API = '/api/v1';
const view = document.getElementById('view');
const notice = document.getElementById('notice');
const LEVELS = {1: 'Huyện / thành phố', 2: 'Xã / phường', 3: 'Thôn / tổ dân phố'};
const AT_RISK = {NOT_ACTIVATED: 'Chưa kích hoạt', NOT_STARTED: 'Chưa bắt đầu học', STALLED: 'Ngừng học (24 giờ)'};

const session = {
  get access() { return sessionStorage.getItem('phocap.staff.access'); },
  save(tokens) { sessionStorage.setItem('phocap.staff.access', tokens.accessToken); sessionStorage.setItem('phocap.staff.refresh', tokens.refreshToken); },
  clear() { sessionStorage.removeItem('phocap.staff.access'); sessionStorage.removeItem('phocap.staff.refresh'); },
};

class Problem extends Error {
  constructor(status, body) { super((body && (body.detail || body.title)) || ('HTTP ' + status)); this.status = status; }
}

async function api(path, {method = 'GET', body, accept, raw = false, retried = false} = {}) {
  const headers = {Authorization: 'Bearer ' + session.access};
  if (accept) { headers.Accept = accept; }
  if (body !== undefined) { headers['Content-Type'] = 'application/json'; }
  const answer = await fetch(API + path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  if (answer.status === 401 && !retried && sessionStorage.getItem('phocap.staff.refresh')) {
    const r = await fetch(API + '/auth/refresh', {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({refreshToken: sessionStorage.getItem('phocap.staff.refresh')})});
    if (r.ok) { session.save(await r.json()); return api(path, {method, body, accept, raw, retried: true}); }
  }
  if (!answer.ok) {
    let problem = null;
    try { problem = await answer.json(); } catch (e) { /* not JSON */ }
    if (answer.status === 401) { session.clear(); show(); }
    throw new Problem(answer.status, problem);
  }
  if (raw) { return answer; }
  return answer.status === 204 ? null : answer.json();
}

const escape = v => String(v ?? '').replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
const pct = x => (Math.round((x || 0) * 1000) / 10) + '%';
const say = text => { notice.textContent = text || ''; };

document.getElementById('logout').addEventListener('click', () => { session.clear(); stopLive(); show(); });

function show() {
  document.getElementById('nav').hidden = !session.access;
  return session.access ? showCampaigns() : showLogin();
}

function showLogin() {
  view.innerHTML = `<h2>Đăng nhập cán bộ</h2><form id="f">
      <label for="username">Tên đăng nhập</label><input id="username" name="username" autocomplete="username" required>
      <label for="password">Mật khẩu</label><input id="password" name="password" type="password" autocomplete="current-password" required>
      <button class="primary" type="submit">Đăng nhập</button><p id="error" class="error"></p></form>`;
  view.querySelector('#f').addEventListener('submit', async event => {
    event.preventDefault();
    const data = new FormData(event.target);
    const answer = await fetch(API + '/auth/login', {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({username: data.get('username'), password: data.get('password')})});
    const body = await answer.json();
    if (!answer.ok) { view.querySelector('#error').textContent = body.detail || body.title; return; }
    if (body.role === 'LEARNER') { view.querySelector('#error').textContent = 'Học viên vui lòng dùng ứng dụng học tại /app/.'; return; }
    session.save(body);
    show();
  });
}

async function showCampaigns() {
  const campaigns = await api('/campaigns');
  const list = campaigns.items || campaigns;
  if (list.length === 0) { view.innerHTML = '<p>Chưa có chiến dịch nào trong địa bàn của bạn.</p>'; return; }
  view.innerHTML = `<label for="campaign">Chiến dịch</label><select id="campaign">`
    + list.map(c => `<option value="${c.id}">${escape(c.name)} (${c.year})</option>`).join('') + `</select><div id="campaign-view"></div>`;
  const select = view.querySelector('#campaign');
  select.addEventListener('change', () => showCampaign(select.value));
  showCampaign(select.value);
}

let live = null;
function stopLive() { if (live) { live.closed = true; if (live.source) { live.source.close(); } live = null; } }

/** The campaign's live counters through EventSource; a fresh stream ticket for each connection. */
function startLive(campaignId, render) {
  stopLive();
  const state = {closed: false, source: null, events: 0};
  live = state;
  window.phocapLive = state;
  const connect = async () => {
    if (state.closed) { return; }
    try {
      const ticket = await api('/me/stream-tickets', {method: 'POST'});
      // Stopped while the ticket was on its way (another campaign picked): opening now would leave a
      // stream that keeps drawing the old campaign's counters into the new view.
      if (state.closed) { return; }
      state.source = new EventSource(API + '/campaigns/' + campaignId + '/live?ticket=' + encodeURIComponent(ticket.ticket));
      state.source.addEventListener('counters', event => { state.events++; state.totals = JSON.parse(event.data).totals; render(state.totals); });
      state.source.onerror = () => { state.source.close(); setTimeout(connect, 2000 + Math.random() * 3000); };
    } catch (e) { setTimeout(connect, 5000); }
  };
  connect();
}

async function showCampaign(campaignId) {
  const box = view.querySelector('#campaign-view');
  box.innerHTML = `<h2>Số liệu trực tiếp</h2><div class="counters" id="counters"><p class="muted">Đang kết nối…</p></div>
    <h2>Báo cáo theo địa bàn</h2><label for="level">Cấp</label><select id="level">`
    + Object.entries(LEVELS).map(([k, v]) => `<option value="${k}">${v}</option>`).join('')
    + `</select><div id="report"></div>
    <h2>Xếp hạng</h2><div id="leaderboard"></div>
    <h2>Danh sách cần gọi hỗ trợ</h2><label for="status">Nhóm</label><select id="status">`
    + Object.entries(AT_RISK).map(([k, v]) => `<option value="${k}">${v}</option>`).join('')
    + `</select><div id="at-risk"></div><button class="secondary" type="button" id="csv">Tải danh sách (CSV)</button>
    <h2>Gửi thông báo cho học viên</h2><label for="text">Nội dung</label><textarea id="text" maxlength="2000"></textarea>
    <button class="primary" type="button" id="announce">Gửi thông báo</button><p id="announced" class="muted"></p>`;
  let refresh = null;
  startLive(campaignId, totals => {
    // The report follows the counters (at most every 5 s): it is read again when they move.
    if (refresh === null && box.querySelector('#report table')) {
      refresh = setTimeout(() => { refresh = null; report().catch(() => {}); }, 5000);
    }
    box.querySelector('#counters').innerHTML = [['Ghi danh', totals.enrolled], ['Đã kích hoạt', totals.activated],
      ['Đã bắt đầu', totals.started], ['Hoàn thành', totals.completed], ['Tỷ lệ hoàn thành', pct(totals.completionRate)]]
      .map(([label, value]) => `<div><span class="muted">${label}</span><strong data-counter="${label}">${escape(value)}</strong></div>`).join('');
  });
  const level = box.querySelector('#level');
  // Reports come in pages (a province has thousands of villages): this table shows 100 rows at a time.
  const REPORT_PAGE = 100;
  let reportPage = 0;
  const report = async () => {
    const r = await api('/campaigns/' + campaignId + '/report?groupBy=locality&level=' + level.value
      + '&page=' + reportPage + '&size=' + REPORT_PAGE);
    const first = r.page * r.size;
    const pager = r.total > r.size
      ? `<p class="muted">Dòng ${first + 1}–${first + r.rows.length} trong ${r.total}</p>
        <button class="secondary" type="button" id="report-prev"${r.page === 0 ? ' disabled' : ''}>Trang trước</button>
        <button class="secondary" type="button" id="report-next"${first + r.rows.length >= r.total ? ' disabled' : ''}>Trang sau</button>`
      : '';
    box.querySelector('#report').innerHTML = `<table><thead><tr><th>Địa bàn</th><th class="n">Ghi danh</th><th class="n">Hoàn thành</th>
      <th class="n">Tỷ lệ</th></tr></thead><tbody>` + r.rows.map(row => `<tr data-key="${escape(row.key)}"><td>${escape(row.name)}</td>
      <td class="n">${row.enrolled}</td><td class="n">${row.completed}</td><td class="n">${pct(row.completionRate)}</td></tr>`).join('')
      + `</tbody></table>` + pager + (Number(level.value) < 3 ? '<p class="muted">Bấm vào một dòng để xem cấp dưới.</p>' : '');
    const turn = (id, step) => {
      const button = box.querySelector(id);
      if (button) button.addEventListener('click', () => { reportPage += step; report().catch(() => {}); });
    };
    turn('#report-prev', -1);
    turn('#report-next', 1);
    box.querySelectorAll('#report tr[data-key]').forEach(tr => tr.addEventListener('click', () => {
      if (Number(level.value) < 3) {
        level.value = String(Number(level.value) + 1);
        reportPage = 0;
        report();
        say('Đang xem cấp dưới của ' + tr.cells[0].textContent);
      }
    }));
    const board = await api('/campaigns/' + campaignId + '/leaderboard?size=10&level=' + level.value);
    box.querySelector('#leaderboard').innerHTML = '<ol>' + board.rows.map(row =>
      `<li>${escape(row.name)}: ${pct(row.completionRate)} <span class="muted">(${row.completed}/${row.enrolled})</span></li>`).join('') + '</ol>';
  };
  level.addEventListener('change', () => { reportPage = 0; report(); });
  await report();
  const status = box.querySelector('#status');
  const atRisk = async () => {
    const page = await api('/campaigns/' + campaignId + '/at-risk?size=20&status=' + status.value);
    const items = page.items || [];
    box.querySelector('#at-risk').innerHTML = items.length === 0 ? '<p class="muted">Không có ai trong nhóm này.</p>'
      : '<ul class="list">' + items.map(p => `<li>${escape(p.fullName)} · <a href="tel:${escape(p.phone)}">${escape(p.phone)}</a>
        <span class="muted">${escape(p.locality || '')}</span></li>`).join('') + '</ul>'
        + (page.total > items.length ? `<p class="muted">và ${page.total - items.length} người nữa: tải CSV để xem hết.</p>` : '');
  };
  status.addEventListener('change', atRisk);
  await atRisk();
  box.querySelector('#csv').addEventListener('click', async () => {
    const answer = await api('/campaigns/' + campaignId + '/at-risk?status=' + status.value, {accept: 'text/csv', raw: true});
    const blob = await answer.blob();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'can-goi-' + status.value.toLowerCase() + '.csv';
    document.body.append(link);
    link.click();
    link.remove();
    window.phocapLastCsv = {size: blob.size, type: blob.type, firstLine: (await blob.text()).split('\n')[0]};
  });
  box.querySelector('#announce').addEventListener('click', async () => {
    const text = box.querySelector('#text').value.trim();
    if (!text) { return; }
    try {
      const sent = await api('/announcements', {method: 'POST', body: {campaignId: Number(campaignId), text}});
      box.querySelector('#announced').textContent = 'Đã gửi' + (sent && sent.delivered !== undefined ? ' tới ' + sent.delivered + ' học viên.' : '.');
      box.querySelector('#text').value = '';
    } catch (e) { box.querySelector('#announced').textContent = e.message; }
  });
}

show();
