"""The browser studio (`gridpolicy studio RULES`): the rule files in a CodeMirror editor with live
diagnostics, an item form generated from the item JSON Schema with the decision and a "why not"
for every earlier route, the semantic diff against the saved files, and a save that happens only
when the check and the rule tests pass. `service.Studio` is the logic, `app.create_app` the HTTP
app; the editor bundle (static/studio.js) is built from web/ by scripts/build-studio.sh."""
