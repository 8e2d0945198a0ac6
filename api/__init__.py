"""The HTTP API (Flask). A stub until the API issue: routes will stay thin and call `kg`."""
