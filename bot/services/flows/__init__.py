"""The dialogs the bot runs, each a Flow of Steps on the dialog engine."""
