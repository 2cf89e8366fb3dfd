function Invoke-VmmSqlQuery {
    <#
    .SYNOPSIS
        Runs one parameterised T-SQL statement on an open connection and returns its rows as objects.
    .DESCRIPTION
        Every value reaches SQL Server as a parameter (nvarchar, sent through sp_executesql), never inside the
        statement text. Informational messages are written to the verbose stream, and "N percent processed."
        messages (BACKUP/RESTORE ... WITH STATS) to Write-Progress, as they arrive. A SQL Server error is thrown
        as the SqlException itself, so callers can test its Number.
    .PARAMETER Connection
        An open SqlConnection (New-VmmSqlConnection).
    .PARAMETER Query
        The statement. Only text written by the module: values go in -Parameter.
    .PARAMETER Parameter
        Ordered name -> value (without '@'). A string value is sent as nvarchar(4000); a hashtable
        @{ Value = ...; Size = n } as nvarchar(n).
    .PARAMETER CommandTimeout
        Seconds; 0 means no limit.
    .PARAMETER ProgressId
        Write-Progress id for percent messages.
    .PARAMETER Activity
        Write-Progress activity for percent messages.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)]
        [System.Data.SqlClient.SqlConnection] $Connection,

        [Parameter(Mandatory = $true)]
        [string] $Query,

        [System.Collections.IDictionary] $Parameter = @{},

        [ValidateRange(0, 86400)]
        [int] $CommandTimeout = 0,

        [int] $ProgressId = 1,

        [string] $Activity = 'SQL Server'
    )

    $command = $Connection.CreateCommand()
    $command.CommandText = $Query
    $command.CommandTimeout = $CommandTimeout
    foreach ($name in $Parameter.Keys) {
        $item = $Parameter[$name]
        $size = 4000
        $value = $item
        if ($item -is [System.Collections.IDictionary]) {
            $value = $item['Value']
            if ($null -ne $item['Size']) { $size = [int]$item['Size'] }
        }
        $sqlParameter = $command.Parameters.Add('@' + [string]$name, [System.Data.SqlDbType]::NVarChar, $size)
        if ($null -eq $value) { $sqlParameter.Value = [System.DBNull]::Value } else { $sqlParameter.Value = [string]$value }
    }

    # The handler runs on this thread while the statement executes, in this function's scope.
    $handler = [System.Data.SqlClient.SqlInfoMessageEventHandler] {
        param($sender, $eventArgs)
        foreach ($message in $eventArgs.Errors) {
            Write-Verbose ("SQL Server: {0}" -f $message.Message)
            $percent = [regex]::Match($message.Message, '^\s*(\d{1,3}) percent processed\.')
            if ($percent.Success) {
                $value = [int]$percent.Groups[1].Value
                if ($value -gt 100) { $value = 100 }
                Write-Progress -Id $ProgressId -Activity $Activity -Status $message.Message -PercentComplete $value
            }
        }
    }
    $Connection.add_InfoMessage($handler)
    $reader = $null
    try {
        try {
            $reader = $command.ExecuteReader()
            do {
                $names = @()
                for ($i = 0; $i -lt $reader.FieldCount; $i++) { $names += $reader.GetName($i) }
                while ($reader.Read()) {
                    $row = [ordered]@{}
                    for ($i = 0; $i -lt $names.Count; $i++) {
                        $cell = $reader.GetValue($i)
                        if ($cell -is [System.DBNull]) { $cell = $null }
                        $row[$names[$i]] = $cell
                    }
                    [pscustomobject]$row
                }
            } while ($reader.NextResult())
        } catch {
            $reason = $_.Exception
            while ($null -ne $reason.InnerException -and $reason -isnot [System.Data.SqlClient.SqlException]) { $reason = $reason.InnerException }
            throw $reason
        }
    } finally {
        if ($null -ne $reader) { $reader.Dispose() }
        $Connection.remove_InfoMessage($handler)
        $command.Dispose()
    }
}
