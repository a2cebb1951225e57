from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """DRF's pages, but an empty ``?page=`` is refused like any other page that is not a
    number (404) instead of read as the first: the schema says a page is an integer."""

    def get_page_number(self, request, paginator):
        page_number = request.query_params.get(self.page_query_param)
        if page_number is None:
            return 1
        if page_number in self.last_page_strings:
            return paginator.num_pages
        return page_number
