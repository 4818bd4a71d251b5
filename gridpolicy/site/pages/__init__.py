"""One module per page kind. Each has `build(ctx) -> {path: Markdown}` (paths relative to the
rules folder of the site); `gridpolicy.site.build.PAGES` lists them in order."""
