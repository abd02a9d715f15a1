// phocap's reference learner app: plain JavaScript, the public API only (docs: README, "Browsers").
// Phones first, in Vietnamese. Screens: sign in, activation, PIN change, my courses, a course (its
// lesson stream through EventSource), the lesson player (heartbeats, offline buffer), quizzes,
// certificates, support contacts.
'use strict';

const API = '/api/v1';
const HEARTBEAT_EVERY_MS = 10000; // the contract: every 10–20 s while a lesson is open
const view = document.getElementById('view');
const notice = document.getElementById('notice');

// ---- session ----------------------------------------------------------------------------------
const session = {
  get access() { return localStorage.getItem('phocap.access'); },
  get refresh() { return localStorage.getItem('phocap.refresh'); },
  save(tokens) {
    localStorage.setItem('phocap.access', tokens.accessToken);
    localStorage.setItem('phocap.refresh', tokens.refreshToken);
  },
  clear() { localStorage.removeItem('phocap.access'); localStorage.removeItem('phocap.refresh'); },
  device() {
    let id = localStorage.getItem('phocap.device');
    if (!id) { id = 'web-' + crypto.randomUUID(); localStorage.setItem('phocap.device', id); }
    return id;
  },
};

class Problem extends Error {
  constructor(status, body) {
    super((body && (body.detail || body.title)) || ('HTTP ' + status));
    this.status = status;
    this.body = body || {};
  }
  get kind() { return (this.body.type || '').split('/').pop(); }
}

let refreshing = null;
async function refreshTokens() {
  if (!session.refresh) { return false; }
  refreshing = refreshing || fetch(API + '/auth/refresh', {
    method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({refreshToken: session.refresh}),
  }).then(async r => { if (!r.ok) { return false; } session.save(await r.json()); return true; })
    .finally(() => { refreshing = null; });
  return refreshing;
}

/** Calls the API as the signed-in learner; one refresh and retry on 401. Answers JSON, a Blob or null. */
async function api(path, {method = 'GET', body, headers = {}, blob = false, retried = false} = {}) {
  const options = {method, headers: {...headers}};
  if (session.access) { options.headers.Authorization = 'Bearer ' + session.access; }
  if (body !== undefined) { options.headers['Content-Type'] = 'application/json'; options.body = JSON.stringify(body); }
  const answer = await fetch(API + path, options);
  if (answer.status === 401 && !retried && await refreshTokens()) {
    return api(path, {method, body, headers, blob, retried: true});
  }
  if (!answer.ok) {
    let problem = null;
    try { problem = await answer.json(); } catch (e) { /* not JSON */ }
    if (answer.status === 401) { session.clear(); }
    throw new Problem(answer.status, problem);
  }
  if (blob) { return answer.blob(); }
  return answer.status === 204 ? null : answer.json();
}

function say(text) { notice.textContent = text || ''; }
function html(strings, ...values) {
  const escape = v => String(v ?? '').replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
  return strings.reduce((out, s, i) => out + s + (i < values.length ? (values[i] && values[i].raw ? values[i].raw : escape(values[i])) : ''), '');
}
const raw = text => ({raw: text});
function percent(x) { return Math.round((x || 0) * 100) + '%'; }
function problemText(e) {
  if (e instanceof Problem) {
    if (e.body.errors && e.body.errors.length) { return e.body.errors.map(f => f.field + ': ' + f.message).join('; '); }
    return e.message;
  }
  return 'Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.';
}

// ---- screens ----------------------------------------------------------------------------------
let leave = () => {};
const routes = [
  [/^#\/login$/, showLogin], [/^#\/activate$/, showActivate], [/^#\/pin$/, showPin],
  [/^#\/courses$/, showCourses], [/^#\/course\/(\d+)$/, showCourse], [/^#\/lesson\/(\d+)\/(\d+)$/, showLesson],
  [/^#\/quiz\/(\d+)\/(\d+)$/, showQuiz], [/^#\/certificates$/, showCertificates], [/^#\/support$/, showSupport],
];

/** A message for the next screen (said after the navigation, which otherwise clears the notice). */
let flash = '';

async function route() {
  leave(); leave = () => {};
  say(flash);
  flash = '';
  const hash = location.hash || '#/courses';
  const inCourse = hash.match(/^#\/(?:course|lesson|quiz)\/(\d+)/);
  if (course && (!inCourse || inCourse[1] !== String(course.id))) { course.close(); course = null; }
  const open = ['#/login', '#/activate'];
  document.getElementById('nav').hidden = !session.access;
  if (!session.access && !open.includes(hash)) { location.hash = '#/login'; return; }
  for (const [pattern, screen] of routes) {
    const match = hash.match(pattern);
    if (match) {
      try { await screen(...match.slice(1)); } catch (e) { view.innerHTML = html`<p class="error">${problemText(e)}</p>`; }
      view.focus();
      return;
    }
  }
  location.hash = '#/courses';
}
window.addEventListener('hashchange', route);
document.getElementById('logout').addEventListener('click', async () => {
  try { await api('/auth/logout', {method: 'POST'}); } catch (e) { /* signed out anyway */ }
  session.clear();
  location.hash = '#/login';
});

function form(fields, submitLabel, onSubmit, extra = '') {
  view.innerHTML = fields + html`<button class="primary" type="submit" form="f">${submitLabel}</button><p id="error" class="error"></p>` + extra;
  const f = view.querySelector('form');
  const submit = async event => {
    event.preventDefault();
    view.querySelector('#error').textContent = '';
    try { await onSubmit(new FormData(f)); } catch (e) { view.querySelector('#error').textContent = problemText(e); }
  };
  f.addEventListener('submit', submit);
  view.querySelector('button[type=submit]').addEventListener('click', submit);
}

function showLogin() {
  form(html`<h2>Đăng nhập</h2><form id="f">
      <label for="phone">Số điện thoại</label><input id="phone" name="phone" type="tel" autocomplete="tel" required>
      <label for="pin">Mã PIN (6 số)</label><input id="pin" name="pin" type="password" inputmode="numeric" maxlength="6" required>
    </form>`, 'Đăng nhập', async data => {
    const answer = await fetch(API + '/auth/login', {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({username: data.get('phone'), password: data.get('pin')})});
    const body = await answer.json();
    if (!answer.ok) { throw new Problem(answer.status, body); }
    session.save(body);
    location.hash = '#/courses';
  }, html`<p>Lần đầu vào học? <a href="#/activate">Kích hoạt tài khoản bằng mã được phát</a></p>`);
}

function showActivate() {
  form(html`<h2>Kích hoạt tài khoản</h2><form id="f">
      <label for="phone">Số điện thoại</label><input id="phone" name="phone" type="tel" required>
      <label for="code">Mã kích hoạt</label><input id="code" name="code" autocapitalize="characters" required>
      <label for="pin">Chọn mã PIN (6 số)</label><input id="pin" name="pin" type="password" inputmode="numeric" maxlength="6" required>
    </form>`, 'Kích hoạt', async data => {
    const answer = await fetch(API + '/auth/activate', {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({phone: data.get('phone'), code: data.get('code'), pin: data.get('pin')})});
    const body = await answer.json();
    if (!answer.ok) { throw new Problem(answer.status, body); }
    session.save(body);
    location.hash = '#/courses';
  }, html`<p><a href="#/login">Đã có mã PIN? Đăng nhập</a></p>`);
}

function showPin() {
  form(html`<h2>Đổi mã PIN</h2><form id="f">
      <label for="current">Mã PIN hiện tại</label><input id="current" name="current" type="password" inputmode="numeric" maxlength="6" required>
      <label for="next">Mã PIN mới (6 số)</label><input id="next" name="next" type="password" inputmode="numeric" maxlength="6" required>
    </form>`, 'Đổi mã PIN', async data => {
    await api('/me/pin', {method: 'PUT', body: {currentPin: data.get('current'), newPin: data.get('next')}});
    flash = 'Đã đổi mã PIN. Các thiết bị khác đã được đăng xuất.';
    location.hash = '#/courses';
  });
}

async function showCourses() {
  view.innerHTML = '<p class="muted">Đang tải…</p>';
  const courses = await api('/me/courses');
  view.innerHTML = html`<h2>Khóa học của tôi</h2>` + (courses.length === 0
    ? '<p>Bạn chưa được ghi danh vào khóa học nào.</p>'
    : '<ul class="list">' + courses.map(c => html`<li><a href="#/course/${c.id}">${c.title}</a>
        <div class="bar" aria-hidden="true"><span style="width:${percent(c.progress)}"></span></div>
        <span class="muted">${c.completedLessons}/${c.totalLessons} bài · ${percent(c.progress)}</span>
        ${raw(c.completed ? '<span class="ok"> · Đã hoàn thành</span>' : '')}</li>`).join('') + '</ul>');
}

/**
 * The learner's lesson stream through the browser's own EventSource. EventSource cannot send an
 * Authorization header, so each connection opens with a fresh single-use stream ticket; when the
 * server closes the stream (or the network drops) the app asks for a new ticket and reconnects,
 * naming the last event it saw (?lastEventId=) so that the server replays exactly what was missed.
 */
function lessonStream(courseId, onEvent) {
  let last = null;
  let source = null;
  let closed = false;
  const names = ['lesson', 'ready', 'progress', 'lesson-completed', 'quiz-graded', 'course-completed', 'certificate-issued', 'certificate-held', 'announcement'];
  async function connect() {
    if (closed) { return; }
    try {
      const ticket = await api('/me/stream-tickets', {method: 'POST'});
      // Closed while the ticket was on its way (another course opened): no stream left behind.
      if (closed) { return; }
      const url = API + '/me/courses/' + courseId + '/stream?ticket=' + encodeURIComponent(ticket.ticket)
        + (last ? '&lastEventId=' + encodeURIComponent(last) : '');
      source = new EventSource(url);
      window.phocapStream = {source, connections: (window.phocapStream ? window.phocapStream.connections : 0) + 1, last};
      names.forEach(name => source.addEventListener(name, event => {
        if (event.lastEventId) { last = event.lastEventId; window.phocapStream.last = last; }
        onEvent(name, JSON.parse(event.data));
      }));
      source.onerror = () => {
        source.close();
        setTimeout(connect, 1000 + Math.random() * 2000);
      };
    } catch (e) {
      setTimeout(connect, 3000 + Math.random() * 3000);
    }
  }
  connect();
  return () => { closed = true; if (source) { source.close(); } };
}

/**
 * The course the learner is in: its lesson stream stays open across the course's own screens (the
 * lesson player, the quizzes), so progress, lesson-completed, course-completed and
 * certificate-issued arrive while the learner studies. Every event is kept in order in
 * window.phocapEvents (what the browser tests read).
 */
let course = null;
window.phocapEvents = [];

function enterCourse(courseId) {
  if (course && course.id === Number(courseId)) { return course; }
  const state = {id: Number(courseId), lessons: new Map(), announcements: [], completed: false, ready: false, render: () => {}};
  state.close = lessonStream(courseId, (name, data) => {
    window.phocapEvents.push({name, data});
    if (name === 'lesson') { state.lessons.set(data.lessonId, data); }
    if (name === 'ready') { state.ready = true; }
    if ((name === 'progress' || name === 'lesson-completed') && state.lessons.has(data.lessonId)) {
      const l = state.lessons.get(data.lessonId);
      l.progress = name === 'lesson-completed' ? 1 : (data.progress ?? l.progress);
      l.completed = l.completed || name === 'lesson-completed';
    }
    if (name === 'announcement') { state.announcements.push(data.text); }
    if (name === 'course-completed') { state.completed = true; say('Bạn đã hoàn thành khóa học!'); }
    if (name === 'certificate-issued') { say('Bạn đã được cấp giấy chứng nhận số ' + data.serial + '. Xem ở mục "Chứng nhận".'); }
    if (name === 'certificate-held') { say('Giấy chứng nhận của bạn đang được tổ hỗ trợ xem xét. Xem ở mục "Chứng nhận".'); }
    state.render();
  });
  course = state;
  return state;
}

async function showCourse(courseId) {
  const outline = await api('/courses/' + courseId);
  const state = enterCourse(courseId);
  view.innerHTML = html`<h2>${outline.title}</h2><div id="announcements"></div><ul class="list" id="lessons"><li class="muted">Đang tải…</li></ul>
    <h3>Bài kiểm tra</h3><ul class="list">` + outline.quizzes.map(q => html`<li><a href="#/quiz/${courseId}/${q.id}">${q.title}</a>
    <span class="muted">${q.questionsPerAttempt} câu · đạt từ ${q.passScore}%</span></li>`).join('') + '</ul><p id="completed"></p>';
  state.render = () => {
    const list = view.querySelector('#lessons');
    if (!list || !state.ready) { return; }
    list.innerHTML = [...state.lessons.values()].sort((a, b) => a.position - b.position).map(l => html`<li data-lesson="${l.lessonId}">
      ${raw(l.locked ? html`<span>${l.title}</span> <span class="warn">(chưa mở)</span>` : html`<a href="#/lesson/${courseId}/${l.lessonId}">${l.title}</a>`)}
      <span class="muted">${percent(l.progress)}</span>${raw(l.completed ? ' <span class="ok">✓ Hoàn thành</span>' : '')}</li>`).join('');
    view.querySelector('#announcements').innerHTML = state.announcements.map(text => html`<p class="announcement"><strong>Thông báo:</strong> ${text}</p>`).join('');
    view.querySelector('#completed').innerHTML = state.completed ? '<span class="ok">Bạn đã hoàn thành khóa học!</span>' : '';
  };
  leave = () => { state.render = () => {}; };
  state.render();
}

/** Heartbeats that could not be sent (no network) wait here and are replayed with heartbeats:batch. */
const pending = {
  load() { return JSON.parse(localStorage.getItem('phocap.pending') || '[]'); },
  add(beat) { const all = this.load(); all.push(beat); localStorage.setItem('phocap.pending', JSON.stringify(all.slice(-500))); },
  async flush() {
    const all = this.load();
    if (all.length === 0) { return; }
    await api('/me/heartbeats:batch', {method: 'POST', body: all, headers: {'X-Device-Id': session.device()}});
    localStorage.removeItem('phocap.pending');
  },
};
window.addEventListener('online', () => pending.flush().catch(() => {}));

async function showLesson(courseId, lessonId) {
  enterCourse(courseId);
  const lesson = await api('/lessons/' + lessonId);
  const sessionId = crypto.randomUUID();
  let seq = 0;
  let activeSec = 0; // reading: seconds the page was in front of the learner
  view.innerHTML = html`<p><a href="#/course/${courseId}">← Về khóa học</a></p><h2>${lesson.title}</h2>
    <div id="player"></div><p id="credit" class="muted">Chưa ghi nhận thời gian học.</p>`;
  const player = view.querySelector('#player');
  let video = null;
  if (lesson.kind === 'VIDEO' && lesson.hasMedia) {
    const media = await api('/lessons/' + lessonId + '/media', {blob: true});
    player.innerHTML = '<video controls playsinline muted></video>';
    video = player.querySelector('video');
    video.src = URL.createObjectURL(media);
  } else if (lesson.kind === 'DOCUMENT' && lesson.hasMedia) {
    const media = await api('/lessons/' + lessonId + '/media', {blob: true});
    player.innerHTML = html`<p>${lesson.body || ''}</p><p><a class="button" download="${lesson.code}.pdf" href="${URL.createObjectURL(media)}">Mở tài liệu</a></p>
      <p class="muted">Thời gian đọc được ghi nhận khi trang này đang mở trước mặt bạn.</p>`;
  } else {
    player.innerHTML = html`<article>${lesson.body || ''}</article>
      <p class="muted">Thời gian đọc được ghi nhận khi trang này đang mở trước mặt bạn.</p>`;
  }
  const credit = view.querySelector('#credit');
  const beat = async () => {
    const playing = video ? !video.paused && !video.ended : document.visibilityState === 'visible';
    const heartbeat = {lessonId: Number(lessonId), sessionId, seq: ++seq, playing,
      positionSec: video ? Math.round(video.currentTime * 10) / 10 : activeSec, sentAt: new Date().toISOString()};
    try {
      const answer = await api('/me/heartbeats', {method: 'POST', body: heartbeat, headers: {'X-Device-Id': session.device()}});
      await pending.flush();
      credit.innerHTML = html`Đã học ${Math.round(answer.creditedSec)} giây · đã xem ${percent(answer.coverage)}`
        + (answer.completed ? '<span class="ok"> · ✓ Hoàn thành bài học</span>' : '');
      window.phocapLastHeartbeat = answer;
    } catch (e) {
      if (e instanceof Problem && e.kind === 'concurrent-session') {
        say('Tài khoản của bạn đang học trên một thiết bị khác. Mỗi lúc chỉ học trên một thiết bị: hãy dừng ở thiết bị kia rồi học tiếp ở đây.');
      } else if (e instanceof Problem) {
        say(problemText(e));
      } else {
        pending.add(heartbeat); // no network: kept and replayed when it returns
        say('Mất kết nối mạng: thời gian học vẫn được lưu trên máy và sẽ gửi khi có mạng.');
      }
    }
  };
  const ticker = setInterval(() => { if (document.visibilityState === 'visible') { activeSec += 1; } }, 1000);
  const timer = setInterval(beat, HEARTBEAT_EVERY_MS);
  if (video) {
    ['play', 'pause', 'ended'].forEach(name => video.addEventListener(name, beat));
  } else {
    beat();
  }
  leave = () => { clearInterval(timer); clearInterval(ticker); if (video) { video.pause(); } };
  window.phocapBeat = beat;
}

async function showQuiz(courseId, quizId) {
  enterCourse(courseId);
  const attempt = await api('/me/quizzes/' + quizId + '/attempts', {method: 'POST'});
  const answers = attempt.answers || {};
  if (attempt.result) { return showResult(courseId, attempt); }
  view.innerHTML = html`<p><a href="#/course/${courseId}">← Về khóa học</a></p><h2>${attempt.quizTitle}</h2>
    <p class="muted">Lần ${attempt.number}/${attempt.maxAttempts} · đạt từ ${attempt.passScore}% · hết giờ lúc ${new Date(attempt.expiresAt).toLocaleTimeString('vi-VN')}</p>
    <form id="f">` + attempt.questions.map((q, i) => html`<fieldset data-question="${q.id}"><legend>${i + 1}. ${q.text}</legend>`
      + q.options.map(o => html`<label><input type="${q.kind === 'MULTIPLE' ? 'checkbox' : 'radio'}" name="${q.id}" value="${o.key}"
        ${raw((answers[q.id] || []).includes(o.key) ? 'checked' : '')}> ${o.text}</label>`).join('') + '</fieldset>').join('')
    + html`</form><button class="primary" type="button" id="submit">Nộp bài</button><p id="saved" class="muted"></p><p id="error" class="error"></p>`;
  const collect = () => {
    const sheet = {};
    attempt.questions.forEach(q => { sheet[q.id] = [...view.querySelectorAll(`input[name="${q.id}"]:checked`)].map(i => i.value); });
    return sheet;
  };
  let saving = null;
  view.querySelector('#f').addEventListener('change', () => {
    clearTimeout(saving);
    saving = setTimeout(async () => {
      try {
        await api('/me/attempts/' + attempt.attemptId + '/answers', {method: 'PUT', body: {answers: collect()}});
        view.querySelector('#saved').textContent = 'Đã lưu bài làm lúc ' + new Date().toLocaleTimeString('vi-VN');
      } catch (e) { view.querySelector('#saved').textContent = 'Chưa lưu được: ' + problemText(e); }
    }, 800);
  });
  view.querySelector('#submit').addEventListener('click', async () => {
    clearTimeout(saving);
    try {
      await api('/me/attempts/' + attempt.attemptId + '/submit', {method: 'POST', body: {answers: collect()}});
      showResult(courseId, await api('/me/attempts/' + attempt.attemptId));
    } catch (e) { view.querySelector('#error').textContent = problemText(e); }
  });
}

function showResult(courseId, attempt) {
  const r = attempt.result;
  view.innerHTML = html`<p><a href="#/course/${courseId}">← Về khóa học</a></p><h2>${attempt.quizTitle}</h2>
    <p id="result" class="${r.passed ? 'ok' : 'warn'}">${r.passed ? 'Đạt' : 'Chưa đạt'}: ${r.score}/${r.maxScore} điểm (${r.correct}/${r.total} câu đúng)</p>`
    + (attempt.review ? '<h3>Xem lại</h3><ul class="list">' + attempt.review.map(v => html`<li>${v.right ? '✓' : '✗'} ${attempt.questions.find(q => q.id === v.questionId)?.text || ''}
      <span class="muted">Đáp án: ${v.correctKeys.join(', ')}${v.explanation ? ' — ' + v.explanation : ''}</span></li>`).join('') + '</ul>' : '');
}

async function showCertificates() {
  const certificates = await api('/me/certificates');
  view.innerHTML = html`<h2>Giấy chứng nhận</h2>` + (certificates.length === 0 ? '<p>Bạn chưa có giấy chứng nhận nào.</p>'
    : '<ul class="list">' + certificates.map(c => c.status === 'UNDER_REVIEW'
      // Held by the campaign's integrity policy: not an error, a review; the support group can help.
      ? html`<li class="under-review" data-course="${c.courseId}"><strong>Khóa học ${c.courseId}: đang xem xét</strong>
        <div class="muted">Bạn đã hoàn thành khóa học. Giấy chứng nhận đang được tổ hỗ trợ xem xét và sẽ hiện ở đây khi xong.</div>
        <a class="button" href="#/support">Liên hệ tổ hỗ trợ</a></li>`
      : html`<li data-serial="${c.serial}"><strong>${c.courseTitle || c.course || c.serial}</strong>
      <div class="muted">Số hiệu ${c.serial}</div>
      <button class="secondary" type="button" data-pdf="${c.serial}">Tải bản PDF</button>
      <a class="button" href="${c.verifyUrl}" target="_blank" rel="noopener">Trang xác minh</a></li>`).join('') + '</ul>');
  view.querySelectorAll('[data-pdf]').forEach(button => button.addEventListener('click', async () => {
    const pdf = await api('/certificates/' + button.dataset.pdf + '.pdf', {blob: true});
    const link = document.createElement('a');
    link.href = URL.createObjectURL(pdf);
    link.download = button.dataset.pdf + '.pdf';
    document.body.append(link);
    link.click();
    link.remove();
    window.phocapLastPdf = {serial: button.dataset.pdf, size: pdf.size, type: pdf.type};
  }));
}

async function showSupport() {
  let support = null;
  try { support = await api('/me/support'); } catch (e) { if (!(e instanceof Problem && e.status === 404)) { throw e; } }
  const desks = Array.isArray(support) ? support : [support];
  view.innerHTML = html`<h2>Hỗ trợ</h2>` + desks.filter(Boolean).map(s => html`<section><h3>${s.locality || ''}</h3>
    ${raw(s.hotline ? html`<p>Đường dây nóng: <a href="tel:${s.hotline}">${s.hotline}</a></p>` : '')}
    ${raw(s.channelUrl ? html`<p><a href="${s.channelUrl}" target="_blank" rel="noopener">Nhóm hỗ trợ</a></p>` : '')}
    <ul class="list">` + (s.contacts || []).map(c => html`<li>${c.name} <span class="muted">${c.role || ''}</span>
    ${raw(c.phone ? html` · <a href="tel:${c.phone}">${c.phone}</a>` : '')}</li>`).join('') + '</ul></section>').join('')
    + (desks.filter(Boolean).length === 0 ? '<p>Chưa có thông tin hỗ trợ cho địa bàn của bạn.</p>' : '');
}

route();
