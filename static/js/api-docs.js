// The API documentation page: Redoc (static/vendor/redoc) renders the schema the page names.
// Search stays off: it runs in a worker made from a blob, which the CSP refuses.
document.querySelectorAll("[data-redoc-spec]").forEach((element) => {
  window.Redoc.init(element.dataset.redocSpec, { disableSearch: true, expandResponses: "200,201" }, element);
});
