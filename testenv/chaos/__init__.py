"""The reliability campaign (README, "Reliability"): `kit` is what every case is built from, the
`cases_*` modules register the cases by area, `campaign.py` runs them
(`.venv/bin/python testenv/chaos/campaign.py`)."""
