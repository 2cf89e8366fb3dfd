function Resolve-VmmSqlTarget {
    <#
    .SYNOPSIS
        The SQL Server instance and database to use: the values given, else those the VMM registry settings
        (Sql subkey) name. Either may come back empty when neither source has it.
    .PARAMETER SqlServer
        The instance the caller was given, if any.
    .PARAMETER Database
        The database the caller was given, if any.
    #>
    [CmdletBinding()]
    param(
        [string] $SqlServer,
        [string] $Database
    )

    if (-not $SqlServer -or -not $Database) {
        $registry = Get-VmmSqlSetting
        if ($null -ne $registry) {
            if (-not $SqlServer) { $SqlServer = $registry.SqlServer }
            if (-not $Database) { $Database = $registry.Database }
        }
    }
    [pscustomobject]@{ SqlServer = $SqlServer; Database = $Database }
}
