/**
 * The citizens' reference portal page (issue #20 item 5): tra cứu hồ sơ, watched until it changes, and
 * tìm kiếm văn bản. Served by the gateway's `sites` feature (GATEWAY_SITES) from the folder
 * scripts/portal.ts builds; it calls `/graphql` and `/graphql/stream` (live, ./live.ts) on the same
 * origin with the portal's trusted documents only (./trusted.ts), anonymously. `?ma=<code>` opens a
 * dossier, `?q=<words>` a search, `?poll=<s>` sets how often a watched dossier is asked again when
 * the live stream fails (default 15 s, at least 2).
 */
import { DossierView } from './dossier';
import { SearchView } from './search';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const poll = Math.max(2, Number(params.get('poll')) || 15);
const dossier = new DossierView(poll);
const search = new SearchView();

/** Keeps the address in step with what is shown, so a reload or a shared link shows it again. */
function remember(name: string, value: string): void {
  const next = new URLSearchParams(location.search);
  next.set(name, value);
  history.replaceState(null, '', `?${next.toString()}`);
}

$('dossier-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>('code');
  const code = input.value.trim();
  if (!code) {
    $('dossier-message').className = 'error';
    $('dossier-message').textContent = 'Vui lòng nhập mã hồ sơ.';
    input.focus();
    return;
  }
  remember('ma', code);
  void dossier.lookUp(code);
});
$('watch').addEventListener('change', () => dossier.schedule());

$('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>('q');
  const q = input.value.trim();
  if (!q) {
    $('search-message').className = 'error';
    $('search-message').textContent = 'Vui lòng nhập từ khoá.';
    input.focus();
    return;
  }
  remember('q', q);
  void search.search(q);
});
$('more').addEventListener('click', () => void search.more());

const code = params.get('ma');
if (code) {
  $<HTMLInputElement>('code').value = code;
  void dossier.lookUp(code);
}
const q = params.get('q');
if (q) {
  $<HTMLInputElement>('q').value = q;
  void search.search(q);
}
