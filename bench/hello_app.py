"""The hello-world page the benchmarks compare a cold browser's first view against."""
import streamlit as st

st.title("Hello world")
st.write("hello")
