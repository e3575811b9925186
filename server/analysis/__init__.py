"""What zmot makes of the data: sentiment, review summaries, prices."""
