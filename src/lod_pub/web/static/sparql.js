// Ctrl+Enter (or Cmd+Enter) in the query editor runs the query. The page works without this script.
(function () {
  var editor = document.getElementById("query");
  if (!editor) return;
  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      editor.form.submit();
    }
  });
})();
