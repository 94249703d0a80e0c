// GraphiQL for /graphql, from the package's own copies of GraphiQL and React.
// The query, variables and operation name live in the URL's fragment so a view can be
// shared (in the query string, /graphql?query=... would run the query instead).
(function () {
  "use strict";
  const params = new URLSearchParams(window.location.hash.slice(1));
  const endpoint = window.location.origin + window.location.pathname;
  const example = [
    "# timeline: a sourced graph of migration diplomacy in the Americas.",
    "# Run with Ctrl-Enter. The schema is in the Docs panel.",
    "{",
    '  timeline(involving: ["country:pa"], from: "2022-01-01", to: "2022-12-31") {',
    "    totalCount",
    "    edges { node { id name date { display } place { name } } }",
    "  }",
    "}",
    "",
  ].join("\n");

  function remember(key) {
    return function (value) {
      if (value) params.set(key, value); else params.delete(key);
      const state = params.toString();
      history.replaceState(null, "", window.location.pathname + (state ? "#" + state : ""));
    };
  }

  const explorer = GraphiQLPluginExplorer.explorerPlugin();
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: GraphiQL.createFetcher({ url: endpoint }),
      defaultQuery: example,
      query: params.get("query") || undefined,
      variables: params.get("variables") || undefined,
      operationName: params.get("operationName") || undefined,
      onEditQuery: remember("query"),
      onEditVariables: remember("variables"),
      onEditOperationName: remember("operationName"),
      plugins: [explorer],
      shouldPersistHeaders: false,
    })
  );
})();
