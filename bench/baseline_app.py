"""The smallest Streamlit page: the same-run baseline of bench/browser.py's page timings, so a
page's time reads against what Streamlit itself costs on this machine."""

import streamlit as st

st.title("Baseline")
st.write("Nothing else.")
