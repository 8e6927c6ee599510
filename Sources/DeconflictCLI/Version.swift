/// The version `deconflict --version` prints (see CHANGELOG.md).
public enum DeconflictVersion {
    public static let string = "0.13.0-dev"
}
