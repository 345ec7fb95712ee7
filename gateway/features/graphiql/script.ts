/**
 * The script GraphiQL's page runs (served as a hashed asset: the CSP forbids inline scripts). Besides
 * mounting GraphiQL with the example tabs and the explorer, it keeps the caller's token:
 *
 * - a sign-in bar above GraphiQL takes a bearer token once; the fetcher adds `Authorization: Bearer …`
 *   to every request of every tab, the schema fetch included (a tab's own Headers still win);
 * - the token is kept in this browser's localStorage under `govgraph.graphiql.token` (this origin
 *   only), so it survives reloads; "Sign out" removes it (as does clearing the site's data);
 * - when the schema fetch is refused, the bar says how to get a token and where to paste it;
 * - tabs are titled with their example file's title (GraphiQL 3.9 titles a tab with its operation's
 *   name and has no title option, so the page renames a tab while it still holds that operation).
 */
export const TOKEN_STORAGE_KEY = 'govgraph.graphiql.token';

export const INIT_SCRIPT = `(function () {
  var KEY = ${JSON.stringify(TOKEN_STORAGE_KEY)};
  var root = document.getElementById('graphiql');
  var bar = document.getElementById('govgraph-signin');
  var input = document.getElementById('govgraph-token');
  var status = document.getElementById('govgraph-signin-status');
  var params = new URLSearchParams(window.location.search);
  var endpoint = new URL(root.getAttribute('data-endpoint'), window.location.href).toString();
  var tabs = JSON.parse(root.getAttribute('data-tabs') || '[]');
  var titles = JSON.parse(root.getAttribute('data-tab-titles') || '{}');
  var hint = bar.getAttribute('data-hint');

  function readToken() {
    try { return window.localStorage.getItem(KEY) || ''; } catch (e) { return ''; }
  }
  function say(text, refused) {
    status.textContent = text;
    bar.classList.toggle('govgraph-refused', !!refused);
  }
  function showState() {
    if (readToken()) say('Signed in: every tab sends this token (kept in this browser until you sign out).');
    else say('Anonymous. ' + hint);
  }
  function isIntrospection(params) {
    return params && (params.operationName === 'IntrospectionQuery' || /__schema/.test(params.query || ''));
  }
  function makeFetcher(token) {
    var headers = { 'apollo-require-preflight': 'true' };
    if (token) headers.Authorization = 'Bearer ' + token;
    var base = GraphiQL.createFetcher({ url: endpoint, headers: headers });
    return function (graphQLParams, opts) {
      var result = base(graphQLParams, opts);
      if (isIntrospection(graphQLParams) && result && typeof result.then === 'function') {
        result.then(function (answer) {
          if (answer && answer.errors && answer.errors.length) {
            say('The schema was refused (' + answer.errors[0].message + '). ' + hint, true);
          } else showState();
        }, function () {});
      }
      return result;
    };
  }

  var props = {
    defaultQuery: root.getAttribute('data-default-query'),
    defaultEditorToolsVisibility: true,
    plugins: [GraphiQLPluginExplorer.explorerPlugin()]
  };
  if (tabs.length) props.defaultTabs = tabs;
  if (params.get('query')) props.query = params.get('query');
  if (params.get('variables')) props.variables = params.get('variables');
  if (params.get('operationName')) props.operationName = params.get('operationName');

  var reactRoot = ReactDOM.createRoot(root);
  function render() {
    // A new fetcher makes GraphiQL fetch the schema again, now with (or without) the token.
    props.fetcher = makeFetcher(readToken());
    reactRoot.render(React.createElement(GraphiQL, props));
    showState();
  }
  document.getElementById('govgraph-signin-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var token = input.value.trim().replace(/^Bearer\\s+/i, '');
    if (!token) return;
    try { window.localStorage.setItem(KEY, token); } catch (e) {}
    input.value = '';
    render();
  });
  document.getElementById('govgraph-signout').addEventListener('click', function () {
    try { window.localStorage.removeItem(KEY); } catch (e) {}
    render();
  });

  // Example tabs: the file's title instead of the operation's name, while the tab holds that operation.
  function retitle() {
    var buttons = root.querySelectorAll('.graphiql-tab-button');
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i];
      var name = b.textContent;
      if (Object.prototype.hasOwnProperty.call(titles, name)) {
        b.setAttribute('data-operation', name);
        b.textContent = titles[name];
        b.title = titles[name] + ' (' + name + ')';
      }
    }
  }
  new MutationObserver(retitle).observe(root, { childList: true, subtree: true, characterData: true });
  render();
})();
`;
