-- :#commented ? is no parameter, nor are the ones in literals below
SELECT '?', $q$ ? :#quoted $q$, 1 ? 2
  FROM t
 WHERE a = :#a /* :#b ? */
   AND b = :#${variable.c}
