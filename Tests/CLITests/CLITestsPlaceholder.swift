// Keeps the CLITests target buildable until its tests land.
import Testing
