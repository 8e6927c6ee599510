/// The server adapter: routes, auth, WebSocket stream, metrics. Filled in by issue #5.
public enum DeconflictServerModule {}
