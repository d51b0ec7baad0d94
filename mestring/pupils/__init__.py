"""The pupil page, which gathers referrals, group, attendance and absence for one pupil."""
